"""A job sent through Redis to a real Celery worker process, started by the test."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from prm.celery import app as celery_app
from prm.jobs.models import Job, JobStatus
from prm.jobs.services import job_start
from prm.tenancy.choices import Role
from prm.tenancy.tasks import data_summary
from tests.conftest import s3_storage
from tests.factories import PartnerFactory

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue(request, settings, tmp_path):
    """A Celery worker process on private queues (default and pdf), connected to the test database.

    With ``shared_storage`` in the test, the worker stores files where that fixture says.
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    pdf_queue = f"{queue}-pdf"
    settings.MEDIA_ROOT = str(tmp_path)
    storage_env = (
        request.getfixturevalue("shared_storage") if "shared_storage" in request.fixturenames else {}
    )
    env = {
        **storage_env,
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_PDF_QUEUE": pdf_queue,
        "MEDIA_ROOT": str(tmp_path),
    }
    command = [sys.executable, "-m", "celery", "-A", "prm", "worker", "-P", "solo", "-Q", f"{queue},{pdf_queue}",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.task_default_queue, conf.task_routes)
    conf.task_always_eager, conf.task_default_queue = False, queue
    conf.task_routes = {"*.render_*": {"queue": pdf_queue}}
    try:
        yield process
    finally:
        conf.task_always_eager, conf.task_default_queue, conf.task_routes = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for_job(tenant, job_id, process, timeout=90) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.for_tenant(tenant).get(pk=job_id)
        if job.is_finished:
            return job
        if process.poll() is not None:
            raise AssertionError("worker died:\n" + process.stdout.read())
        time.sleep(0.3)
    process.terminate()
    raise AssertionError(f"job {job_id} did not finish; worker said:\n{process.stdout.read()}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_a_real_worker_and_reports_back(tenant, member, worker_queue):
    # given
    admin = member(tenant, Role.ADMIN)
    PartnerFactory.create_batch(4, tenant=tenant)
    # when: no transaction is open, so the task is sent at once
    job = job_start(tenant=tenant, kind="data_summary", task=data_summary, requested_by=admin)
    # then
    job = wait_for_job(tenant, job.pk, worker_queue)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert dict(job.result["rows"])["Partners"] == 4
    assert job.progress == 1.0


@pytest.fixture(params=["filesystem", "s3"])
def shared_storage(request, settings):
    """Storage the worker process and this (web) process share: a folder, or an S3 bucket."""
    if request.param == "filesystem":
        yield {}
        return
    with s3_storage(settings) as env:
        yield env


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_pdf_batch_renders_every_scorecard_through_the_worker(
    tenant, member, shared_storage, worker_queue, api
):
    import io
    import zipfile
    from decimal import Decimal

    from scorecards.tasks import start_pdf_batch
    from tests.factories import ScorecardFactory

    # given: 23 scorecards, i.e. three chunks on the pdf queue
    admin = member(tenant, Role.ADMIN)
    for n in range(23):
        partner = PartnerFactory(tenant=tenant, name=f"Partner {n:02d}", stage="signed")
        ScorecardFactory(tenant=tenant, partner=partner, score=Decimal(n))
    # when
    job = job_start(
        tenant=tenant,
        kind="scorecard_pdfs",
        task=start_pdf_batch,
        requested_by=admin,
        params={"period": "2026-Q3"},
    )
    # then
    job = wait_for_job(tenant, job.pk, worker_queue, timeout=180)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["files"] == 23 and job.progress == 1.0
    # the web side downloads what the worker stored (shared storage), as the API hands it out
    response = api(admin).get(f"/api/v1/tenants/{tenant.slug}/jobs/{job.pk}/file/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 23 and any(name.startswith("partner-07-") for name in names)
    assert job.result["file"].startswith(f"tenants/{tenant.pk}/jobs/{job.pk}/")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_payout_run_is_computed_by_the_worker(tenant, member, worker_queue):
    from decimal import Decimal

    from incentives.models import PayoutLine
    from incentives.services.rules import rule_create
    from incentives.tasks import compute_run
    from prm.tenancy.context import tenant_context
    from tests.factories import SaleFactory

    # given: 5% on 12 400.00 and 3 000.00 of two signed partners
    manager = member(tenant, Role.CHANNEL_MANAGER)
    for amount in ("12400.00", "3000.00"):
        partner = PartnerFactory(tenant=tenant, stage="signed")
        SaleFactory(tenant=tenant, partner=partner, date="2026-08-01", amount=Decimal(amount))
    with tenant_context(tenant):
        rule_create(tenant=tenant, actor=manager, name="Flat", kind="commission", params={"rate": "5"})
    # when
    job = job_start(
        tenant=tenant, kind="payout_run", task=compute_run, requested_by=manager, params={"period": "2026-Q3"}
    )
    # then
    job = wait_for_job(tenant, job.pk, worker_queue)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["total"] == "770.00"
    amounts = sorted(PayoutLine.objects.for_tenant(tenant).values_list("amount", flat=True))
    assert amounts == [Decimal("150.00"), Decimal("620.00")]
