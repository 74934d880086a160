"""Prometheus metrics: counted where things happen, served at /metrics behind a token."""

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.utils import timezone
from prometheus_client import REGISTRY, generate_latest

from prm.imports import ImportResult
from prm.jobs.models import Job, JobStatus
from prm.jobs.services import job_start
from prm.jobs.tasks import rescue_lost
from prm.tenancy import tasks as tenancy_tasks
from prm.tenancy.choices import Role
from tests.jobs.test_worker import start_worker, stop_worker, wait_for_job

ROOT = Path(__file__).resolve().parents[2]


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Delta:
    """``with Delta("prm_logins_total", outcome="success") as d: ...; d.value``"""

    def __init__(self, name, **labels):
        self.name, self.labels = name, labels

    def __enter__(self):
        self.before = value(self.name, **self.labels)
        return self

    def __exit__(self, *exc):
        self.value = value(self.name, **self.labels) - self.before


def test_metrics_are_not_served_without_a_token_setting(client, settings):
    settings.PRM_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token(client, settings):
    settings.PRM_METRICS_TOKEN = "s3cret-metrics-token"
    refused = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics").status_code == 401
    served = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token")
    assert served.status_code == 200 and served["Content-Type"].startswith("text/plain")
    text = served.content.decode()
    for name in ("prm_http_requests_total", "prm_jobs_total", "prm_logins_total", "prm_queue_up"):
        assert f"# TYPE {name} " in text, name


@pytest.mark.django_db
def test_requests_are_counted_by_route_method_and_status_with_their_time(tenant, member, web):
    user = member(tenant, Role.ADMIN)
    labels = {"route": "/t/<slug:tenant>/", "method": "GET"}
    with Delta("prm_http_requests_total", status="200", **labels) as counted:
        with Delta("prm_http_request_duration_seconds_count", **labels) as timed:
            with Delta("prm_db_statement_duration_seconds_count", database="default") as statements:
                web(user).get(f"/t/{tenant.slug}/")
                web(user).get(f"/t/{tenant.slug}/")
    assert (counted.value, timed.value) == (2, 2)
    assert statements.value > 0
    with Delta("prm_http_requests_total", route="<unmatched>", method="GET", status="404") as missing:
        web(user).get("/no-such-page/")
    assert missing.value == 1


@pytest.mark.django_db(transaction=True)
def test_jobs_are_counted_by_kind_and_outcome_with_their_duration(tenant, member, monkeypatch):
    kind = {"kind": "data_summary"}
    with (
        Delta("prm_jobs_total", outcome="started", **kind) as started,
        Delta("prm_jobs_total", outcome="succeeded", **kind) as succeeded,
        Delta("prm_jobs_total", outcome="failed", **kind) as failed,
        Delta("prm_job_duration_seconds_count", outcome="succeeded", **kind) as timed,
    ):
        job_start(tenant=tenant, kind="data_summary", task=tenancy_tasks.data_summary)
        monkeypatch.setattr(tenancy_tasks.data_summary, "run", lambda job, **kw: 1 / 0)
        job_start(tenant=tenant, kind="data_summary", task=tenancy_tasks.data_summary)
    assert (started.value, succeeded.value, failed.value, timed.value) == (2, 1, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_rescued_job_is_counted(tenant):
    Job.objects.for_tenant(tenant).create(
        tenant=tenant,
        kind="data_summary",
        task_name="tenancy.data_summary",
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    with Delta("prm_jobs_rescued_total", outcome="retried") as retried:
        rescue_lost.apply()
    assert retried.value == 1


@pytest.mark.django_db(transaction=True)
def test_emails_are_counted(settings):
    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with Delta("prm_emails_total", outcome="sent") as sent:
        send_mail("Hello", "Body", "prm@example.com", ["someone@example.com"])
    assert sent.value == 1


@pytest.mark.django_db
def test_imports_count_rows_and_refusals(tenant, member, api):
    with Delta("prm_import_rows_total", outcome="created") as created:
        ImportResult(created=3, unchanged=1)
    assert created.value == 3
    admin = member(tenant, Role.ADMIN)
    bad = io.BytesIO(b"customer\nNo external id\n")
    bad.name = "leads.csv"
    with Delta("prm_import_refusals_total") as refused, Delta("prm_import_problems_total") as problems:
        response = api(admin).post(
            f"/api/v1/tenants/{tenant.slug}/leads/import/", {"file": bad}, format="multipart"
        )
    assert response.status_code == 400
    assert refused.value == 1 and problems.value >= 1


@pytest.mark.django_db
def test_logins_are_counted_success_failure_and_lockout(tenant, member, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    member(tenant, Role.ADMIN, username="counted", password="right-password-1")
    with (
        Delta("prm_logins_total", outcome="success") as success,
        Delta("prm_logins_total", outcome="failure") as failure,
        Delta("prm_logins_total", outcome="lockout") as lockout,
    ):
        client.post("/accounts/login/", {"username": "counted", "password": "right-password-1"})
        client.post("/accounts/logout/")
        for _ in range(2):
            client.post("/accounts/login/", {"username": "counted", "password": "wrong"})
    assert (success.value, failure.value, lockout.value) == (1, 2, 1)


@pytest.mark.django_db
def test_a_webhook_delivery_is_counted_by_outcome(
    tenant, member, api, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    admin = member(tenant, Role.ADMIN)
    base = f"/api/v1/tenants/{tenant.slug}"
    with socket.socket() as closed:  # a port nothing listens on: the delivery fails and waits
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/hooks"
    api(admin).post(f"{base}/webhooks/", {"url": url, "events": ["partner.created"]}, format="json")
    with Delta("prm_webhook_deliveries_total", outcome="retrying") as retrying:
        with django_capture_on_commit_callbacks(execute=True):
            api(admin).post(f"{base}/partners/", {"name": "Nordwind", "region": "North"}, format="json")
    assert retrying.value == 1


SCRIPT = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings")
import django
django.setup()
from prm.ops import metrics
if sys.argv[1] == "count":
    metrics.login("success")
else:
    from prometheus_client import generate_latest
    print(generate_latest(metrics.registry()).decode())
"""


def test_several_processes_add_up_in_multiprocess_mode(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "REDIS_URL": ""}

    def run(what):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, what], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("count")
    run("count")
    text = run("read")
    assert 'prm_logins_total{outcome="success"} 2.0' in text
    assert "prm_queue_up 1.0" in text


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_serves_its_metrics_on_its_own_port(tenant, settings, tmp_path):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    queue = f"test-{uuid.uuid4().hex[:8]}"
    conf = tenancy_tasks.data_summary.app.conf
    previous = (conf.task_always_eager, conf.task_default_queue)
    conf.task_always_eager, conf.task_default_queue = False, queue
    folder = tmp_path / "metrics"
    env = {
        "PRM_METRICS_PORT": str(port),
        "PRM_METRICS_ADDR": "127.0.0.1",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    worker = start_worker(settings, tmp_path, queue, f"{queue}-pdf", extra_env=env)
    try:
        job = job_start(tenant=tenant, kind="data_summary", task=tenancy_tasks.data_summary)
        wait_for_job(tenant, job.pk, worker)
        deadline, text = time.monotonic() + 20, ""
        while time.monotonic() < deadline and 'outcome="succeeded"' not in text:
            try:
                text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
            except OSError:
                time.sleep(0.5)
    finally:
        conf.task_always_eager, conf.task_default_queue = previous
        stop_worker(worker)
    assert 'prm_jobs_total{kind="data_summary",outcome="succeeded"} 1.0' in text, text[-2000:] or json.dumps(
        env
    )


def test_the_grafana_dashboard_reads_only_metrics_that_exist():
    dashboard = json.loads((ROOT / "docker" / "grafana-dashboard.json").read_text())
    exposed = generate_latest(REGISTRY).decode()
    used = {
        re.sub(r"_(bucket|sum|count)$", "", name)
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\bprm_[a-z_]+", target["expr"])
    }
    assert used and {name for name in used if f"# TYPE {name} " not in exposed} == set()
