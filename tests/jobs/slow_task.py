"""A job that takes its time, for killing its worker mid-run (loaded by the test's workers with -I)."""

import os
import time

from celery import shared_task

from prm.jobs.tasks import JobTask


@shared_task(base=JobTask, name="tests.slow_job")
def slow_job(job, **params):
    seconds = float(os.environ.get("PRM_TEST_SLOW_SECONDS", "60"))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
    return {"slept": seconds}
