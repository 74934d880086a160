"""The minute's sweep: an endpoint that never answers delays no other endpoint, in any tenant."""

import socket
import time

import pytest
from django.utils import timezone

from prm.tenancy.context import tenant_context
from prm.webhooks import services, tasks
from prm.webhooks.models import Delivery, Endpoint, Event
from tests.test_webhooks import Receiver

TIMEOUT = 2


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture
def dead():
    """A socket that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/hooks"
    sock.close()


def due(tenant, url, count=1):
    with tenant_context(tenant):
        endpoint = Endpoint.objects.create(tenant=tenant, url=url, events=["*"], secret="whsec_x")
        return [
            Delivery.objects.create(
                tenant=tenant,
                endpoint=endpoint,
                event=Event.objects.create(tenant=tenant, name="partner.created", data={"n": n}),
                next_attempt_at=timezone.now(),
            ).pk
            for n in range(count)
        ]


@pytest.mark.django_db(transaction=True)
def test_a_dead_endpoint_does_not_delay_another_tenants_webhooks(
    tenant, other_tenant, receiver, dead, monkeypatch
):
    # given: the first tenant's endpoint hangs (its deliveries come first), the other's answers
    monkeypatch.setattr(services, "TIMEOUT_SECONDS", TIMEOUT)
    first, second = sorted([tenant, other_tenant], key=lambda t: t.pk)
    hanging = due(first, dead, count=2)
    good = due(second, receiver.url, count=3)
    finished, real = {}, services.attempt

    def timed(tenant_id, pk):
        result = real(tenant_id, pk)
        finished[pk] = time.monotonic() - started
        return result

    monkeypatch.setattr(tasks, "attempt", timed)

    # when
    started = time.monotonic()
    sent = tasks.retry_due()
    took = time.monotonic() - started

    # then: the good endpoint's deliveries land at once, in their order; the sweep waited for the
    # dead endpoint's timeouts only (its two deliveries one after the other), not for their sum twice
    assert sent == 5
    assert max(finished[pk] for pk in good) < 1
    assert [e["data"]["n"] for e in receiver.events()] == [0, 1, 2]
    assert took < 2 * TIMEOUT + 1.5
    with tenant_context(second):
        assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}
    with tenant_context(first):
        assert [d.status_code for d in Delivery.objects.filter(pk__in=hanging)] == [None, None]
        assert all("timed out" in d.response.lower() for d in Delivery.objects.filter(pk__in=hanging))
