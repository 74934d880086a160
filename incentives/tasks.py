"""Background work of incentives/: computing a payout run, its ranges of partners on several workers.

``compute_run`` runs the computation ``services.run_compute.PAYOUTS``: a run of one range of
partners is computed in place; a larger one goes out as one task per range of partners (any worker
may take one), each counted done under a row lock on the job, and the range that completes the
count joins them into the run in one transaction and finishes the job
(``prm.jobs.tasks.run_computation``). A missing exchange rate fails the job in its own words.
"""

from celery import shared_task

from prm.jobs.tasks import JobTask, run_computation

from .services.run_compute import PAYOUTS


@shared_task(base=JobTask, name="incentives.compute_run")
def compute_run(job, period, **params):
    """Compute the period's draft run (``PAYOUTS``): in place, or over ranges on several workers."""
    return run_computation(job, PAYOUTS, period=period)
