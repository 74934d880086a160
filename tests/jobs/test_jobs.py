"""Jobs: started by a service, run by a task, watched through the API and the job page."""

import pytest

from prm.jobs.models import Job, JobStatus
from prm.jobs.services import job_start
from prm.jobs.tasks import run_chunk
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.tasks import data_summary
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _summary(result):
    return dict(result["rows"])


def test_data_summary_job_counts_only_the_tenants_rows(
    tenant, other_tenant, member, django_capture_on_commit_callbacks
):
    admin = member(tenant, Role.ADMIN)
    PartnerFactory.create_batch(3, tenant=tenant)
    PartnerFactory.create_batch(5, tenant=other_tenant)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(tenant=tenant, kind="data_summary", task=data_summary, requested_by=admin)
    job = Job.objects.for_tenant(tenant).get(pk=job.pk)
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 1.0
    assert job.started_at and job.finished_at and job.attempts == 1
    assert _summary(job.result)["Partners"] == 3


def test_a_failing_job_records_its_error(tenant, monkeypatch, django_capture_on_commit_callbacks):
    def explode(*args, **kwargs):
        raise ValueError("the ledger is on fire")

    monkeypatch.setattr("prm.tenancy.tasks.tenant_owned_models", explode)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(tenant=tenant, kind="data_summary", task=data_summary)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "the ledger is on fire" in job.error


def test_job_api_reports_status_progress_and_result(api, tenant, member, django_capture_on_commit_callbacks):
    admin = member(tenant, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(tenant=tenant, kind="data_summary", task=data_summary, requested_by=admin)
    body = api(admin).get(f"/api/v1/tenants/alpha/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded"
    assert body["progress"] == 1.0
    assert body["kind"] == "data_summary"
    assert body["url"].endswith(f"/api/v1/tenants/alpha/jobs/{job.pk}/")
    assert "rows" in body["result"]


def test_job_page_polls_while_running_and_stops_when_done(web, tenant, member):
    admin = member(tenant, Role.ADMIN)
    running = Job.objects.for_tenant(tenant).create(
        tenant=tenant, kind="data_summary", status=JobStatus.RUNNING, progress=0.4
    )
    page = web(admin).get(f"/t/alpha/jobs/{running.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'max="100" value="40"' in html

    Job.objects.for_tenant(tenant).filter(pk=running.pk).update(status=JobStatus.SUCCEEDED, progress=1)
    partial = web(admin).get(f"/t/alpha/jobs/{running.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and 'max="100" value="100"' in partial
    assert "<html" not in partial


def test_admin_starts_the_data_summary_from_the_dashboard(web, tenant, member):
    admin = member(tenant, Role.ADMIN)
    response = web(admin).post("/t/alpha/data-summary/")
    job = Job.objects.for_tenant(tenant).get()
    assert response.status_code == 302 and response["Location"] == f"/t/alpha/jobs/{job.pk}/"
    assert job.requested_by == admin


def test_a_channel_manager_may_not_start_it(web, tenant, member):
    response = web(member(tenant, Role.CHANNEL_MANAGER)).post("/t/alpha/data-summary/")
    assert response.status_code == 403
    assert not Job.objects.for_tenant(tenant).exists()


def test_a_range_of_a_plan_the_job_no_longer_runs_counts_for_nothing(tenant):
    """A fanned-out job sent again (``jobs_rescue_lost``) is planned anew; a range of its old plan
    that arrives late neither works nor counts, so the new plan's join sees its own ranges only."""

    with tenant_context(tenant):
        job = Job.objects.create(
            tenant=tenant,
            kind="recompute_tiers",
            status=JobStatus.RUNNING,
            params={"token": "new", "total": 2, "done": 0},
        )
        work = []

        def chunk(token):
            run_chunk(
                job_id=job.pk,
                token=token,
                name="test",
                compute=lambda: work.append(token),
                join=lambda: work.append("join"),
                result=lambda joined: {},
            )

        chunk("old")
        chunk("new")
        job.refresh_from_db()
        assert work == ["new"] and job.params["done"] == 1 and job.status == JobStatus.RUNNING
        chunk("new")
        job.refresh_from_db()
        assert work == ["new", "new", "join"] and job.status == JobStatus.SUCCEEDED
