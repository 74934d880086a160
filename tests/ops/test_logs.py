"""Every log line carries the request id, tenant, user and job; the id goes back in a header and
onto the error pages; secrets and e-mail addresses never reach a line."""

import json
import logging
import re
import uuid

import pytest

from prm.apitokens import services as api_tokens
from prm.celery import app as celery_app
from prm.jobs.models import Job, JobStatus
from prm.jobs.services import job_start
from prm.ops import context
from prm.ops.logs import redact
from prm.tenancy import tasks as tenancy_tasks
from prm.tenancy.choices import Role
from tests.jobs.test_worker import start_worker, stop_worker, wait_for_job


def test_a_request_gets_an_id_in_the_answer_header(client):
    response = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.parametrize(
    "incoming", ["5b1f0c6e-4a7d-4e3a-9b1a-0c2d3e4f5a6b", "Root=1-67891233-abcdef012345678912345678"]
)
def test_a_sane_incoming_request_id_is_kept(client, incoming):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming", ["short", "a" * 200, "abc def ghi", 'x"}{"forged":1', "line\nbreak12345"]
)
def test_an_insane_incoming_request_id_is_replaced(client, incoming):
    answered = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert answered != incoming and re.fullmatch(r"[0-9a-f]{32}", answered)


@pytest.mark.django_db
def test_the_lines_of_a_page_carry_request_tenant_and_user(tenant, member, web, logs):
    user = member(tenant, Role.ADMIN)
    response = web(user).get(f"/t/{tenant.slug}/", HTTP_X_REQUEST_ID="report-1234-abcd")
    assert response.status_code == 200
    (line,) = logs.of("prm.request")
    assert line["request_id"] == "report-1234-abcd" == response["X-Request-ID"]
    assert (line["tenant_id"], line["user_id"]) == (tenant.pk, user.pk)
    assert (line["method"], line["status"], line["route"]) == ("GET", 200, "/t/<slug:tenant>/")
    assert line["duration_ms"] >= line["db_ms"] > 0 and line["db_queries"] > 0


@pytest.mark.django_db
def test_an_api_call_with_a_token_is_logged_with_its_user_and_tenant(tenant, member, client, logs):
    user = member(tenant, Role.ADMIN)
    _token, secret = api_tokens.issue(user=user, name="logs")
    response = client.get(f"/api/v1/tenants/{tenant.slug}/partners/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    (line,) = logs.of("prm.request")
    assert (line["tenant_id"], line["user_id"]) == (tenant.pk, user.pk)
    assert secret[4:] not in logs.text


@pytest.mark.django_db
def test_the_query_string_and_a_link_token_are_never_logged(client, logs):
    client.get("/accounts/reset/MQ/c4bq2x-0123456789abcdef0123456789abcdef/?email=someone@example.com")
    client.get("/healthz")  # probes are not logged
    (line,) = logs.of("prm.request")
    assert line["path"] == "/accounts/reset/[redacted]/[redacted]/"
    assert "example.com" not in logs.text and "c4bq2x" not in logs.text


@pytest.mark.django_db(transaction=True)
def test_a_jobs_lines_carry_its_job_id_tenant_and_the_request_that_started_it(
    tenant, member, web, logs, monkeypatch
):
    # given: the job fails inside (its line is an error line of the job)
    def fail(*args, **kwargs):
        raise RuntimeError("no summary today")

    monkeypatch.setattr(tenancy_tasks.data_summary, "run", lambda job, **kw: fail())
    user = member(tenant, Role.ADMIN)
    # when: the page starts it (eager, as the demo runs jobs: at the commit, inside the request)
    response = web(user).post(f"/t/{tenant.slug}/data-summary/", HTTP_X_REQUEST_ID="report-job-12345")
    # then
    job = Job.objects.for_tenant(tenant).get()
    assert job.status == JobStatus.FAILED
    job_lines = [line for line in logs.lines if line["job_id"] == job.pk]
    assert {line["logger"] for line in job_lines} >= {"prm.task", "prm.jobs.tasks"}
    assert all(line["tenant_id"] == tenant.pk for line in job_lines)
    assert all(line["request_id"] == "report-job-12345" == response["X-Request-ID"] for line in job_lines)
    assert any(line["task"] == "tenancy.data_summary" for line in job_lines)


@pytest.mark.django_db
def test_an_error_page_has_the_request_id_to_show(tenant, member, web, logs):
    response = web(member(tenant, Role.ADMIN)).get("/no-such-page/", HTTP_X_REQUEST_ID="report-404-abcd")
    assert response.status_code == 404
    assert response.wsgi_request.request_id == "report-404-abcd"
    assert response.context["request"].request_id == "report-404-abcd"
    assert {line["logger"]: line["request_id"] for line in logs.lines if "request" in line["logger"]} == {
        "prm.request": "report-404-abcd",
        "django.request": "report-404-abcd",
    }


def test_redact_removes_addresses_tokens_and_secrets():
    text = (
        "to alice.o'hara+x@mail.example.co.uk, Token 0123456789abcdef0123456789abcdef01234567 "
        "password=hunter2 'secret': 'xyz' Authorization: Bearer abc.def token=qq"
    )
    assert redact(text) == (
        "to [email], Token [token] password=[redacted] 'secret': '[redacted]' "
        "Authorization: [redacted] token=[redacted]"
    )


def test_a_line_written_outside_any_request_still_has_every_field(logs):
    logging.getLogger("prm.example").warning("nothing to see, mail bob@example.org")
    (line,) = logs.of("prm.example")
    assert {"time", "level", "logger", "message", "request_id", "tenant_id", "user_id", "job_id"} <= set(line)
    assert line["message"] == "nothing to see, mail [email]"


@pytest.fixture
def own_queues():
    """Tasks of this test go to queues of its own, to its own worker."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.task_default_queue, conf.task_routes)
    conf.task_always_eager, conf.task_default_queue = False, queue
    conf.task_routes = {"*.render_*": {"queue": f"{queue}-pdf"}}
    yield queue, f"{queue}-pdf"
    conf.task_always_eager, conf.task_default_queue, conf.task_routes = previous


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_logs_json_with_the_job_and_the_request_that_sent_it(
    tenant, member, settings, tmp_path, own_queues
):
    # given: a real worker, logging as production does
    worker = start_worker(settings, tmp_path, *own_queues, extra_env={"LOG_FORMAT": "json", "DEBUG": "false"})
    try:
        # when: a request's job goes through Redis
        with context.bound(request_id="report-worker-1234"):
            job = job_start(tenant=tenant, kind="data_summary", task=tenancy_tasks.data_summary)
        wait_for_job(tenant, job.pk, worker)
    finally:
        stop_worker(worker)
    # then: the worker's lines of the job are JSON with the job, its tenant and the request id
    output = worker.stdout.read().splitlines()
    lines = [json.loads(line) for line in output if line.startswith("{")]
    job_lines = [line for line in lines if line.get("job_id") == job.pk]
    assert job_lines, "\n".join(output)
    assert {line["logger"] for line in job_lines} >= {"prm.task"}
    assert all(line["request_id"] == "report-worker-1234" for line in job_lines)
    assert all(line["tenant_id"] == tenant.pk for line in job_lines)
