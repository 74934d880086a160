"""/healthz and /readyz: JSON, no authentication, each check with its time, nothing secret."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from prm.ops import health

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_the_database_or_a_login(client):
    # when: no database access is allowed in this test (no db fixture)
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_readyz_reports_every_check_with_its_time(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "queue", "storage"}
    for name, check in body["checks"].items():
        assert check["ok"] is True, name
        assert isinstance(check["ms"], float)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.services
@pytest.mark.django_db
def test_readyz_gives_the_queue_lengths_when_a_broker_is_configured(client):
    queue = client.get("/readyz").json()["checks"]["queue"]
    assert queue["ok"] is True
    assert set(queue["lengths"]) == {"default", "pdf"}


@pytest.mark.django_db
def test_a_probe_is_answered_over_plain_http_with_any_host(client, settings):
    # given: production's HTTPS redirect and a host list without the container's address
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["prm.example.com"]
    # when
    ready = client.get("/readyz", HTTP_HOST="127.0.0.1:8000")
    alive = client.get("/healthz", HTTP_HOST="10.0.0.7")
    # then
    assert (ready.status_code, alive.status_code) == (200, 200)


@pytest.mark.django_db
def test_a_failing_check_makes_readyz_503_naming_only_the_kind_of_error(client, monkeypatch):
    # given: the storage refuses writes with a message that names a path
    class Refusing:
        def save(self, *args, **kwargs):
            raise PermissionError("/srv/prm/media/health: permission denied")

    monkeypatch.setattr(health, "storage", Refusing)
    # when
    response = client.get("/readyz")
    # then
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["storage"]["error"] == "PermissionError"
    assert "/srv/prm" not in response.content.decode()
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_an_unreachable_broker_fails_the_queue_check(client, settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False
    assert "127.0.0.1:9" not in response.content.decode()


@pytest.mark.django_db
def test_unapplied_migrations_fail_readiness(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)] * 2)
    body = client.get("/readyz").json()
    assert body["checks"]["migrations"] == {
        "ok": False,
        "unapplied": 2,
        "ms": body["checks"]["migrations"]["ms"],
    }


@pytest.mark.django_db
def test_readyz_says_nothing_secret(client, settings):
    text = client.get("/readyz").content.decode()
    db = connection.settings_dict
    secrets = [settings.SECRET_KEY, db["NAME"], db["USER"], settings.CELERY_BROKER_URL]
    if db.get("PASSWORD"):
        secrets.append(db["PASSWORD"])
    assert [s for s in secrets if s and s in text] == []


@pytest.mark.django_db
def test_worker_health_fails_without_an_answering_worker(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "worker_health", "--destination", f"nobody-{uuid.uuid4().hex[:6]}@nowhere", "--timeout", "0.5"
        )
    report = json.loads(capsys.readouterr().out)
    assert exit_.value.code == 1
    assert report["ok"] is False and report["workers"] == []


@pytest.mark.services
@pytest.mark.django_db
def test_worker_health_pings_a_real_worker_and_reads_the_queues(settings):
    # given: a worker of our own, under a name of its own
    name = f"ops-{uuid.uuid4().hex[:8]}@test"
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "prm",
            "worker",
            "-P",
            "solo",
            "-n",
            name,
            "-Q",
            f"ops-{uuid.uuid4().hex[:8]}",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, answer = time.monotonic() + 60, None
        while time.monotonic() < deadline:
            done = subprocess.run(
                [sys.executable, "manage.py", "worker_health", "--destination", name, "--timeout", "1"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode == 0:
                answer = json.loads(done.stdout)  # the report alone: log lines go to standard error
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    # then
    assert answer is not None, "the worker never answered the ping"
    assert answer["ok"] is True and answer["workers"] == [name]
    assert set(answer["queues"]) == {"default", "pdf"}
    assert all(isinstance(n, int) for n in answer["queues"].values())
