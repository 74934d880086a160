"""Redis down: starting a job fails fast with a clear 503, the job is never left queued,
and the public form's rate limit lets applicants through rather than failing."""

import shutil
import socket
import subprocess
import time

import pytest

from prm.celery import app as celery_app
from prm.jobs.models import Job
from prm.tenancy.choices import Role

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
        "company": "Nordwind Systems", "contact_name": "Ana Lima", "email": "ana@nordwind.example",
        "phone": "+49 30 1234", "region": "North", "country": "de", "industry": "Automation",
        "lines_carried": "Conveyors", "message": "We sell to car plants.",
    }  # fmt: skip

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
    from prm.net import client_ip

    settings.PRM_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == client


def test_behind_a_proxy_each_applicant_has_its_own_rate_limit(settings, client, tenant, member):
    from onboarding.services.applications import RATE_LIMIT

    settings.PRM_PROXY_COUNT = 1
    member(tenant, Role.CHANNEL_MANAGER)

    def apply(address, n):
        form = {
            "company": f"Company {address} {n}", "contact_name": "Ana Lima", "email": f"a{n}@x.example",
            "region": "North", "country": "de", "message": "Hello",
        }  # fmt: skip
        return client.post(
            f"/apply/{tenant.slug}/", form, HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR="10.0.0.2"
        )

    assert all(apply("203.0.113.9", n).status_code == 200 for n in range(RATE_LIMIT))
    assert apply("203.0.113.9", 99).status_code == 429  # the same applicant, over its limit
    assert apply("198.51.100.7", 1).status_code == 200  # another applicant behind the same proxy
