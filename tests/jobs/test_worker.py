"""A job sent through Redis to a real Celery worker process, started by the test."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from incentives.models import PayoutLine, PayoutRun
from incentives.services.rules import rule_create
from incentives.tasks import compute_run
from partners.models import Partner, TierChange
from partners.tasks import recompute_tiers
from prm.celery import app as celery_app
from prm.jobs.models import ComputationChunk, Job, JobStatus
from prm.jobs.services import job_start, jobs_rescue_lost
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.tasks import data_summary
from scorecards.defaults import ensure_default_kpis
from scorecards.models import Kpi, Scorecard
from scorecards.tasks import compute, start_pdf_batch
from tests.conftest import s3_storage
from tests.factories import PartnerFactory, SaleFactory, ScorecardFactory, TargetFactory
from tests.jobs.slow_task import slow_job

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(settings, tmp_path, queue, pdf_queue, *, extra_env=None, include=None):
    """A Celery worker process (solo pool: the task runs in the worker's own process)."""
    env = {
        **(extra_env or {}),
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_PDF_QUEUE": pdf_queue,
        "MEDIA_ROOT": str(tmp_path),
    }
    env.update(extra_env or {})
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "prm",
        "worker",
        "-P",
        "solo",
        "-Q",
        f"{queue},{pdf_queue}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "info",
    ]
    if include:
        command += ["-I", include]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def stop_worker(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def private_queues():
    """Tasks of this test go to queues of its own, to its own workers."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    pdf_queue = f"{queue}-pdf"
    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.task_default_queue, conf.task_routes)
    conf.task_always_eager, conf.task_default_queue = False, queue
    conf.task_routes = {"*.render_*": {"queue": pdf_queue}}
    yield queue, pdf_queue
    conf.task_always_eager, conf.task_default_queue, conf.task_routes = previous


@pytest.fixture
def worker_queue(request, settings, tmp_path, private_queues):
    """A Celery worker process on private queues (default and pdf), connected to the test database.

    With ``shared_storage`` in the test, the worker stores files where that fixture says.
    """
    settings.MEDIA_ROOT = str(tmp_path)
    storage_env = (
        request.getfixturevalue("shared_storage") if "shared_storage" in request.fixturenames else {}
    )
    process = start_worker(settings, tmp_path, *private_queues, extra_env=storage_env)
    try:
        yield process
    finally:
        stop_worker(process)


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


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_payout_run_fans_out_over_two_workers_by_partner_range_and_lands_whole(
    tenant, member, settings, tmp_path, private_queues
):

    # given: 5% on the sales of three signed partners, one partner per chunk, two workers
    manager = member(tenant, Role.CHANNEL_MANAGER)
    for amount in ("12400.00", "3000.00", "600.00"):
        partner = PartnerFactory(tenant=tenant, stage="signed")
        SaleFactory(tenant=tenant, partner=partner, date="2026-08-01", amount=Decimal(amount))
    with tenant_context(tenant):
        rule_create(tenant=tenant, actor=manager, name="Flat", kind="commission", params={"rate": "5"})
    workers = [
        start_worker(settings, tmp_path, *private_queues, extra_env={"PRM_PAYOUT_CHUNK": "1"})
        for _ in range(2)
    ]
    try:
        # when
        job = job_start(
            tenant=tenant,
            kind="payout_run",
            task=compute_run,
            requested_by=manager,
            params={"period": "2026-Q3"},
        )
        job = wait_for_job(tenant, job.pk, workers[0])
    finally:
        for worker in workers:
            stop_worker(worker)

    # then: three chunks counted, joined into one run, nothing left aside
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.params["total"], job.params["done"], job.result["total"]) == (3, 3, "800.00")
    with tenant_context(tenant):
        run = PayoutRun.objects.get(period="2026-Q3")
        amounts = sorted(PayoutLine.objects.filter(run=run).values_list("amount", flat=True))
        assert amounts == [Decimal("30.00"), Decimal("150.00"), Decimal("620.00")]
        assert ComputationChunk.objects.count() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_scorecard_compute_fans_out_over_two_workers_by_partner_range_and_lands_whole(
    tenant, member, settings, tmp_path, private_queues
):

    # given: three signed partners in one cohort against a revenue target, one partner per chunk, two workers
    ensure_default_kpis(tenant)
    with tenant_context(tenant):
        revenue = Kpi.objects.get(code="revenue")
    sellers = [
        PartnerFactory(tenant=tenant, stage="signed", region="North", computed_tier="B") for _ in range(3)
    ]
    for partner, amount in zip(sellers, ("900.00", "300.00", "600.00"), strict=True):
        SaleFactory(tenant=tenant, partner=partner, date="2026-08-01", amount=Decimal(amount))
        TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period="2026-Q3", value=Decimal("1000"))
    workers = [
        start_worker(settings, tmp_path, *private_queues, extra_env={"PRM_SCORECARD_CHUNK": "1"})
        for _ in range(2)
    ]
    try:
        # when
        job = job_start(
            tenant=tenant,
            kind="compute_scorecards",
            task=compute,
            requested_by=member(tenant, Role.CHANNEL_MANAGER),
            params={"period": "2026-Q3"},
        )
        job = wait_for_job(tenant, job.pk, workers[0])
    finally:
        for worker in workers:
            stop_worker(worker)

    # then: three chunks counted and joined into one period, ranked across the chunks, nothing left aside
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.params["total"], job.params["done"], job.result["scorecards"]) == (3, 3, 3)
    with tenant_context(tenant):
        ranks = dict(Scorecard.objects.filter(period="2026-Q3").values_list("partner_id", "rank"))
        assert ranks == {sellers[0].pk: 1, sellers[2].pk: 2, sellers[1].pk: 3}
        assert set(Scorecard.objects.filter(period="2026-Q3").values_list("cohort_size", flat=True)) == {3}
        assert ComputationChunk.objects.count() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_tier_recompute_fans_out_over_two_workers_by_partner_range_and_lands_whole(
    tenant, member, settings, tmp_path, private_queues
):

    # given: three sellers whose revenue orders them, one partner per range, two workers
    sellers = [PartnerFactory(tenant=tenant, stage="signed") for _ in range(3)]
    for partner, amount in zip(sellers, ("900.00", "0.00", "600.00"), strict=True):
        SaleFactory(tenant=tenant, partner=partner, amount=Decimal(amount))
    workers = [
        start_worker(settings, tmp_path, *private_queues, extra_env={"PRM_TIER_CHUNK": "1"}) for _ in range(2)
    ]
    try:
        # when
        job = job_start(
            tenant=tenant,
            kind="recompute_tiers",
            task=recompute_tiers,
            requested_by=member(tenant, Role.CHANNEL_MANAGER),
        )
        job = wait_for_job(tenant, job.pk, workers[0])
    finally:
        for worker in workers:
            stop_worker(worker)

    # then: three ranges counted and joined; each placed against the others' revenue, nothing left aside
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.params["total"], job.params["done"], job.result["partners"]) == (3, 3, 3)
    with tenant_context(tenant):
        revenue = {p.pk: p.tier_axes["inputs"]["revenue_percentile"] for p in Partner.objects.all()}
        assert revenue == {sellers[0].pk: 100.0, sellers[1].pk: 0.0, sellers[2].pk: 50.0}
        assert TierChange.objects.count() == 3 and ComputationChunk.objects.count() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_whole_worker_was_killed_is_sent_again_and_finishes(
    tenant, member, settings, tmp_path, private_queues
):

    # given: a slow job running in a worker
    first = start_worker(
        settings,
        tmp_path,
        *private_queues,
        include="tests.jobs.slow_task",
        extra_env={"PRM_TEST_SLOW_SECONDS": "120", "PRM_JOB_HEARTBEAT_SECONDS": "1"},
    )
    try:
        job = job_start(tenant=tenant, kind="slow", task=slow_job, requested_by=member(tenant, Role.ADMIN))
        deadline = time.monotonic() + 60
        while Job.objects.for_tenant(tenant).get(pk=job.pk).status != JobStatus.RUNNING:
            assert time.monotonic() < deadline and first.poll() is None, "the job never started"
            time.sleep(0.2)
        time.sleep(2)  # a beat or two
        beat = Job.objects.for_tenant(tenant).get(pk=job.pk).heartbeat_at
        assert beat is not None

        # when: the whole worker dies, mid-run
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert Job.objects.for_tenant(tenant).get(pk=job.pk).status == JobStatus.RUNNING  # nobody knows yet

        # then: once its heartbeat is older than the limit, the job is sent again ...
        with tenant_context(tenant):
            later = timezone.now() + datetime.timedelta(seconds=settings.PRM_JOB_LOST_AFTER_SECONDS + 1)
            assert jobs_rescue_lost(tenant=tenant, now=later) == {"retried": 1, "failed": 0}
        retrying = Job.objects.for_tenant(tenant).get(pk=job.pk)
        assert (retrying.status, retrying.error) == (JobStatus.QUEUED, "Retrying after a lost worker.")
    finally:
        if first.poll() is None:
            first.kill()

    # ... and a worker started after the fault finishes it
    second = start_worker(
        settings,
        tmp_path,
        *private_queues,
        include="tests.jobs.slow_task",
        extra_env={"PRM_TEST_SLOW_SECONDS": "0.5"},
    )
    try:
        done = wait_for_job(tenant, job.pk, second, timeout=90)
    finally:
        stop_worker(second)
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert done.attempts == 2 and done.result == {"slept": 0.5}


@pytest.mark.django_db
def test_a_job_that_lost_its_worker_too_often_is_given_up_with_the_reason(tenant):

    old = timezone.now() - datetime.timedelta(hours=1)
    job = Job.objects.for_tenant(tenant).create(
        tenant=tenant,
        kind="slow",
        status=JobStatus.RUNNING,
        attempts=3,
        heartbeat_at=old,
        task_name="tenancy.data_summary",
    )
    alive = Job.objects.for_tenant(tenant).create(
        tenant=tenant,
        kind="slow",
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now(),
        task_name="tenancy.data_summary",
    )

    with tenant_context(tenant):
        assert jobs_rescue_lost(tenant=tenant) == {"retried": 0, "failed": 1}

    given_up = Job.objects.for_tenant(tenant).get(pk=job.pk)
    assert given_up.status == JobStatus.FAILED and "stopped 3 times" in given_up.error
    assert Job.objects.for_tenant(tenant).get(pk=alive.pk).status == JobStatus.RUNNING
