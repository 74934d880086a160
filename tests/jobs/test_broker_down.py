"""Redis down: starting a job fails fast with a clear 503, the job is never left queued,
and the public form's rate limit lets applicants through rather than failing. The same holds for
a web process that has never reached Redis (started while Redis restarts during a deploy); a job
left queued without its task ever sent is sent by the sweep once Redis is back, or given up."""

import datetime
import shutil
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from onboarding.models import Application
from onboarding.services.applications import RATE_LIMIT
from partners.tasks import recompute_tiers
from prm.celery import app as celery_app
from prm.jobs.models import Job
from prm.jobs.services import jobs_rescue_lost
from prm.net import client_ip
from prm.notifications.mail import message_to_json, unsent_send
from prm.notifications.models import UnsentEmail
from prm.notifications.tasks import send_unsent
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.tasks import data_summary
from tests.factories import EndpointFactory

# transactional: jobs are sent when the request's writes commit, as in production
pytestmark = pytest.mark.django_db(transaction=True)

REDIS = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_server():
    """A Redis server of the test's own, on a free port; ``stop()`` takes it down."""
    if REDIS is None:
        pytest.skip("needs redis-server")
    port = _free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)

    class Server:
        url = f"redis://127.0.0.1:{port}/0"

        @staticmethod
        def stop():
            process.terminate()
            process.wait(timeout=10)

    yield Server
    if process.poll() is None:
        process.kill()


@pytest.fixture
def broker(redis_server):
    """Celery sends tasks to that server (no worker listens: sent is enough here)."""
    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager, conf.broker_url = False, redis_server.url
    _forget_connections()
    yield redis_server
    conf.task_always_eager, conf.broker_url = previous
    _forget_connections()


def _forget_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _forget_result_store():
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def cold_start():
    """A web process whose Celery app has never reached Redis, and Redis is down (nothing listens
    on its port): no broker connection, no result store client yet, as after a deploy while Redis
    restarts. Its ``up()`` brings a queue back: tasks then run in-process, as a worker would."""
    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.broker_url, conf.result_backend)
    closed = f"redis://127.0.0.1:{_free_port()}/0"
    conf.task_always_eager, conf.broker_url, conf.result_backend = False, closed, closed
    _forget_connections()
    _forget_result_store()

    class Queue:
        @staticmethod
        def up():
            conf.task_always_eager = True

    yield Queue
    conf.task_always_eager, conf.broker_url, conf.result_backend = previous
    _forget_connections()
    _forget_result_store()


def start_job(api, tenant, member):
    return api(member(tenant, Role.ADMIN)).post(f"/api/v1/tenants/{tenant.slug}/tiers/recompute/")


def test_a_job_is_queued_while_the_broker_is_up_and_refused_with_503_once_it_is_down(
    broker, api, tenant, member
):
    assert start_job(api, tenant, member).status_code == 202

    broker.stop()
    started = time.monotonic()
    response = start_job(api, tenant, member)
    waited = time.monotonic() - started

    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "30"
    assert "queue could not be reached" in response.json()["detail"]
    job = Job.objects.for_tenant(tenant).get(pk=response.json()["job"])
    assert job.status == "failed" and "Try again" in job.error  # never left queued
    assert waited < 15, f"starting a job hung {waited:.0f}s with the broker down"


def test_a_page_that_starts_a_job_says_so_clearly_when_the_broker_is_down(broker, web, tenant, member):
    broker.stop()
    response = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"/t/{tenant.slug}/scorecards/run/", {"period": "2026-Q3"}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert 'data-testid="queue-unavailable"' in response.content.decode()


@pytest.mark.parametrize("results", ["ignored", "kept"])
def test_a_web_process_that_never_reached_redis_answers_503_within_seconds(
    cold_start, results, monkeypatch, api, tenant, member
):

    if results == "kept":  # a task whose result Celery keeps subscribes to the result store first
        monkeypatch.setattr(recompute_tiers, "ignore_result", False)

    started = time.monotonic()
    response = start_job(api, tenant, member)
    waited = time.monotonic() - started

    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "30"
    assert "queue could not be reached" in response.json()["detail"]
    job = Job.objects.for_tenant(tenant).get(pk=response.json()["job"])
    assert job.status == "failed" and "Try again" in job.error  # not left queued
    assert waited < 8, f"starting a job took {waited:.0f}s in a process that never reached Redis"


def test_a_page_started_by_a_web_process_that_never_reached_redis_says_to_try_again(
    cold_start, web, tenant, member
):
    started = time.monotonic()
    response = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"/t/{tenant.slug}/scorecards/run/", {"period": "2026-Q3"}
    )
    waited = time.monotonic() - started

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert 'data-testid="queue-unavailable"' in response.content.decode()
    assert Job.objects.for_tenant(tenant).get().status == "failed"
    assert waited < 8, f"the page took {waited:.0f}s"


APPLICATION = {
    "company": "Nordwind Systems",
    "contact_name": "Ana Lima",
    "email": "ana@nordwind.example",
    "phone": "+49 30 1234",
    "region": "North",
    "country": "de",
    "industry": "Automation",
    "lines_carried": "Conveyors",
    "message": "We sell to car plants.",
}


def test_an_application_sent_while_redis_is_unreachable_is_kept_and_its_manager_told_later(
    cold_start, settings, client, tenant, member
):

    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"  # production's mail path
    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    manager = member(tenant, Role.CHANNEL_MANAGER)
    EndpointFactory(tenant=tenant, events=["application.received"])  # a webhook to queue as well

    started = time.monotonic()
    response = client.post(f"/apply/{tenant.slug}/", APPLICATION)
    waited = time.monotonic() - started

    assert response.status_code == 200
    assert "Nordwind Systems" in response.content.decode()
    assert Application.objects.for_tenant(tenant).filter(company="Nordwind Systems").exists()
    assert waited < 8, f"the application took {waited:.0f}s"
    assert mail.outbox == []

    cold_start.up()
    send_unsent.apply()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([manager.email], "New partner application: Nordwind Systems")
    ]
    send_unsent.apply()
    assert len(mail.outbox) == 1  # sent once


def test_an_email_kept_longer_than_its_limit_is_dropped_not_sent(settings, caplog):

    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for subject in ("Stale", "Fresh"):
        UnsentEmail.objects.create(
            message=message_to_json(EmailMessage(subject, "Body", "prm@example.com", ["jo@example.com"]))
        )
    later = timezone.now() + datetime.timedelta(hours=settings.PRM_EMAIL_UNSENT_KEEP_HOURS, minutes=1)
    UnsentEmail.objects.filter(message__subject="Fresh").update(created_at=later)

    assert unsent_send(now=later) == {"sent": 1, "dropped": 1}
    assert [m.subject for m in mail.outbox] == ["Fresh"]
    assert "'Stale' to ['jo@example.com'] dropped" in caplog.text
    assert not UnsentEmail.objects.exists()


def test_a_job_whose_task_was_never_sent_is_sent_by_the_sweep_once_redis_is_back(cold_start, tenant):

    def unsent_job():  # committed, and the web process stopped before it sent the task
        return Job.objects.for_tenant(tenant).create(
            tenant=tenant, kind="data_summary", task_name=data_summary.name
        )

    def sweep(after_seconds):
        with tenant_context(tenant):
            later = timezone.now() + datetime.timedelta(seconds=after_seconds)
            return jobs_rescue_lost(tenant=tenant, now=later)

    def status(job):
        return Job.objects.for_tenant(tenant).get(pk=job.pk).status

    job = unsent_job()
    assert sweep(0) == {"retried": 0, "failed": 0}  # just committed: its send may be under way

    started = time.monotonic()
    assert sweep(120) == {"retried": 0, "failed": 0}  # Redis still down: it waits, queued
    assert time.monotonic() - started < 8
    assert status(job) == "queued"

    cold_start.up()
    sent = Job.objects.for_tenant(tenant).create(
        tenant=tenant, kind="data_summary", task_name=data_summary.name, sent_at=timezone.now()
    )  # in the queue already, waiting for a worker: not sent twice
    assert sweep(120) == {"retried": 1, "failed": 0}
    done = Job.objects.for_tenant(tenant).get(pk=job.pk)
    assert done.status == "succeeded" and done.sent_at is not None
    assert status(sent) == "queued"

    stale = unsent_job()
    assert sweep(3600) == {"retried": 0, "failed": 1}  # long past: whoever asked has moved on
    given_up = Job.objects.for_tenant(tenant).get(pk=stale.pk)
    assert given_up.status == "failed" and "could not be handed to the job queue" in given_up.error


def test_the_application_form_lets_applicants_through_when_the_cache_is_down(
    redis_server, settings, client, tenant, member, caplog
):
    member(tenant, Role.CHANNEL_MANAGER)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    redis_server.stop()
    form = {
        "company": "Nordwind Systems",
        "contact_name": "Ana Lima",
        "email": "ana@nordwind.example",
        "phone": "+49 30 1234",
        "region": "North",
        "country": "de",
        "industry": "Automation",
        "lines_carried": "Conveyors",
        "message": "We sell to car plants.",
    }

    response = client.post(f"/apply/{tenant.slug}/", form)

    assert response.status_code == 200
    assert "rate limit skipped" in caplog.text


# --- the client's address behind trusted proxies (the application rate limit) ----------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "client"),
    [
        (0, "203.0.113.9", "198.51.100.1", "198.51.100.1"),  # no proxy: the header is the client's word
        (1, "203.0.113.9", "10.0.0.2", "203.0.113.9"),  # one proxy appended the client
        (1, "6.6.6.6, 203.0.113.9", "10.0.0.2", "203.0.113.9"),  # a spoofed entry left of it is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.3", "10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2", "10.0.0.2"),  # fewer entries than proxies: not trusted
    ],
)
def test_the_client_address_is_taken_from_the_trusted_proxies_only(
    settings, rf, proxies, forwarded, remote, client
):

    settings.PRM_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == client


def test_behind_a_proxy_each_applicant_has_its_own_rate_limit(settings, client, tenant, member):

    settings.PRM_PROXY_COUNT = 1
    member(tenant, Role.CHANNEL_MANAGER)

    def apply(address, n):
        form = {
            "company": f"Company {address} {n}",
            "contact_name": "Ana Lima",
            "email": f"a{n}@x.example",
            "region": "North",
            "country": "de",
            "message": "Hello",
        }
        return client.post(
            f"/apply/{tenant.slug}/", form, HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR="10.0.0.2"
        )

    assert all(apply("203.0.113.9", n).status_code == 200 for n in range(RATE_LIMIT))
    assert apply("203.0.113.9", 99).status_code == 429  # the same applicant, over its limit
    assert apply("198.51.100.7", 1).status_code == 200  # another applicant behind the same proxy
