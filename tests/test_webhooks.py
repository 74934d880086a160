"""Outbound webhooks: a receiver on loopback gets signed events for the changes it listens for, once
the change commits; failures are retried, given up after a day and the endpoint disabled; private
addresses are refused unless allowed."""

import contextlib
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.webhooks import services, tasks
from prm.webhooks.events import emit
from prm.webhooks.models import Delivery, Endpoint, Event
from tests.factories import ContactFactory, PartnerFactory
from tests.incentives.test_runs import approve, commission, compute, sell, signed

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/alpha"


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it is sent and answers ``status``."""

    def __init__(self):
        self.requests, self.status, self.body = [], 200, None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(outer.status)
                self.end_headers()
                default = b'{"ok": true}' if outer.status < 300 else b"down for maintenance"
                self.wfile.write(outer.body or default)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture
def admin(tenant, member):
    return member(tenant, Role.ADMIN)


def register(api, admin, url, events=("*",)):
    response = api(admin).post(f"{BASE}/webhooks/", {"url": url, "events": list(events)}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def verify(secret: str, request: dict) -> bool:
    parts = dict(item.split("=", 1) for item in request["headers"]["PRM-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.".encode() + request["body"], hashlib.sha256
    ).hexdigest()
    return (
        hmac.compare_digest(expected, parts["v1"]) and abs(int(parts["t"]) - timezone.now().timestamp()) < 300
    )


def test_a_partner_created_through_the_api_reaches_the_receiver_signed(
    api, admin, receiver, django_capture_on_commit_callbacks
):
    # given
    endpoint = register(api, admin, receiver.url, ["partner.created"])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        partner = (
            api(admin)
            .post(f"{BASE}/partners/", {"name": "Nordwind Systems", "region": "North"}, format="json")
            .json()
        )

    # then
    (request,) = receiver.requests
    body = json.loads(request["body"])
    assert (body["event"], body["tenant"], body["data"]["id"], body["data"]["name"]) == (
        "partner.created",
        "alpha",
        partner["id"],
        "Nordwind Systems",
    )
    assert set(body) == {"id", "event", "tenant", "created_at", "sequence", "data"}
    assert request["headers"]["PRM-Event-Id"] == body["id"]
    assert verify(endpoint["secret"], request)
    deliveries = api(admin).get(f"{BASE}/webhooks/{endpoint['id']}/deliveries/").json()["results"]
    assert [(d["event"], d["status"], d["status_code"], d["attempts"]) for d in deliveries] == [
        ("partner.created", "succeeded", 200, 1)
    ]
    assert deliveries[0]["response"] == '{"ok": true}'


def test_the_secret_is_shown_once(api, admin, receiver):
    endpoint = register(api, admin, receiver.url)

    assert endpoint["secret"].startswith("whsec_")
    assert "secret" not in api(admin).get(f"{BASE}/webhooks/{endpoint['id']}/").json()


def test_an_endpoint_only_gets_the_events_it_listens_for(
    tenant, admin, api, receiver, django_capture_on_commit_callbacks
):
    register(api, admin, receiver.url, ["deal.registered"])

    with django_capture_on_commit_callbacks(execute=True):
        api(admin).post(f"{BASE}/partners/", {"name": "Nordwind Systems"}, format="json")

    assert receiver.requests == []
    with tenant_context(tenant):
        assert not Event.objects.exists(), "nobody listens: nothing is written"


def test_a_change_that_rolls_back_sends_nothing(
    tenant, admin, api, receiver, django_capture_on_commit_callbacks
):
    register(api, admin, receiver.url)

    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        with pytest.raises(RuntimeError), transaction.atomic():
            emit(tenant=tenant, name="partner.created", data={"id": 1})
            raise RuntimeError("the change fails")

    assert receiver.requests == []
    with tenant_context(tenant):
        assert not Event.objects.exists() and not Delivery.objects.exists()


def test_the_events_of_one_change_leave_together_in_the_order_they_happened(
    tenant, admin, api, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    # given: a subscriber, and a count of the sends handed to workers
    register(api, admin, receiver.url)
    sends, send = [], tasks.deliver.delay
    monkeypatch.setattr(tasks.deliver, "delay", lambda **kwargs: sends.append(kwargs) or send(**kwargs))

    # when: one change records four events, and a part of it that fails records one more
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant), transaction.atomic():
        for n in range(3):
            emit(tenant=tenant, name="partner.created", data={"n": n})
        with contextlib.suppress(RuntimeError), transaction.atomic():
            emit(tenant=tenant, name="partner.created", data={"n": "rolled back"})
            raise RuntimeError("this part fails")
        emit(tenant=tenant, name="partner.created", data={"n": 3})

    # then: the receiver gets the four, in their order, with rising sequence numbers, from one send
    # (one worker sends them one after the other: two workers cannot swap them)
    events = receiver.events()
    assert [e["data"]["n"] for e in events] == [0, 1, 2, 3]
    assert [e["sequence"] for e in events] == sorted({e["sequence"] for e in events})
    assert len(sends) == 1


def test_a_broker_that_is_down_delays_the_event_and_the_beat_sends_it(
    tenant, admin, api, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    register(api, admin, receiver.url)

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        created = api(admin).post(f"{BASE}/partners/", {"name": "Nordwind Systems"}, format="json")
    assert created.status_code == 201 and receiver.requests == []

    assert tasks.retry_due() == 1
    assert [e["event"] for e in receiver.events()] == ["partner.created"]
    assert tasks.retry_due() == 0, "sent once"


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    tenant, admin, api, receiver, django_capture_on_commit_callbacks
):
    endpoint = register(api, admin, receiver.url)
    receiver.status = 503

    with django_capture_on_commit_callbacks(execute=True):
        api(admin).post(f"{BASE}/partners/", {"name": "Nordwind Systems"}, format="json")
    with tenant_context(tenant):
        delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.status_code) == ("pending", 1, 503)
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert tasks.retry_due() == 0, "not due yet"

    # when: its time comes and the receiver is back
    with tenant_context(tenant):
        Delivery.objects.update(next_attempt_at=timezone.now())
    receiver.status = 200
    tasks.retry_due()

    # then: the same event, delivered on the second attempt
    first, second = receiver.events()
    assert first["id"] == second["id"]
    with tenant_context(tenant):
        assert (Delivery.objects.get().status, Delivery.objects.get().attempts) == ("succeeded", 2)
    assert endpoint["active"]


def test_a_day_of_failures_gives_up_and_five_in_a_row_disable_the_endpoint_and_tell_the_admins(
    tenant, admin, api, receiver, django_capture_on_commit_callbacks
):
    endpoint = register(api, admin, receiver.url)
    receiver.status = 500
    with tenant_context(tenant):
        for n in range(5):
            Event.objects.create(tenant=tenant, name="partner.created", data={"n": n})
        for event in Event.objects.all():
            event.created_at = timezone.now() - timedelta(days=2)
            event.save(update_fields=["created_at"])
            Delivery.objects.create(
                tenant=tenant, endpoint_id=endpoint["id"], event=event, next_attempt_at=timezone.now()
            )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.retry_due()

    with tenant_context(tenant):
        assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}
        stored = Endpoint.objects.get(pk=endpoint["id"])
    assert stored.active is False and "failed" in stored.disabled_reason
    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_a_private_address_is_refused_unless_allowed(api, admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False

    for url in (
        "http://127.0.0.1:8080/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest",
        "ftp://example.com/x",
    ):
        response = api(admin).post(f"{BASE}/webhooks/", {"url": url, "events": ["*"]}, format="json")
        assert response.status_code == 400 and "url" in response.json(), url


def test_unknown_events_are_refused_naming_them(api, admin, receiver):
    response = api(admin).post(
        f"{BASE}/webhooks/", {"url": receiver.url, "events": ["partner.exploded"]}, format="json"
    )

    assert response.status_code == 400 and "partner.exploded" in str(response.json()["events"])


def test_ping_and_redeliver_send_now_with_the_same_event_id(api, admin, receiver):
    endpoint = register(api, admin, receiver.url)
    client = api(admin)

    pinged = client.post(f"{BASE}/webhooks/{endpoint['id']}/ping/").json()
    again = client.post(f"{BASE}/webhooks/{endpoint['id']}/deliveries/{pinged['id']}/redeliver/").json()

    assert (pinged["event"], pinged["status"], again["attempts"]) == ("ping", "succeeded", 2)
    first, second = receiver.events()
    assert first["id"] == second["id"] and first["event"] == "ping"


def test_only_admins_manage_webhooks(api, tenant, member, receiver):
    manager = member(tenant, Role.CHANNEL_MANAGER)

    assert api(manager).get(f"{BASE}/webhooks/").status_code == 403
    assert (
        api(manager)
        .post(f"{BASE}/webhooks/", {"url": receiver.url, "events": ["*"]}, format="json")
        .status_code
        == 403
    )


def test_an_approved_run_and_a_stage_move_are_sent(
    tenant, admin, api, receiver, member, django_capture_on_commit_callbacks
):

    register(api, admin, receiver.url, ["payout_run.approved", "partner.stage_changed"])
    partner = PartnerFactory(tenant=tenant)
    ContactFactory(tenant=tenant, partner=partner)
    commission(tenant, "5")
    sell(signed(tenant, "Nordwind"), "1000")

    with django_capture_on_commit_callbacks(execute=True):
        api(admin).post(f"{BASE}/partners/{partner.pk}/transition/", {"to": "first_talks"}, format="json")
        approve(compute(tenant), member(tenant, Role.FINANCE))

    moved, approved = receiver.events()
    assert (moved["event"], moved["data"]["stage"], moved["data"]["from_stage"]) == (
        "partner.stage_changed",
        "first_talks",
        "prospecting",
    )
    assert (approved["event"], approved["data"]["status"], approved["data"]["total"]) == (
        "payout_run.approved",
        "approved",
        "50.00",
    )


def test_the_page_registers_an_endpoint_and_shows_the_secret_once(web, admin, receiver, tenant):
    client = web(admin)

    page = client.post("/t/alpha/webhooks/", {"url": receiver.url, "events": ["*"], "active": "on"})

    assert page.status_code == 200 and 'data-testid="new-secret"' in page.content.decode()
    with tenant_context(tenant):
        endpoint = Endpoint.objects.get()
    assert endpoint.secret in page.content.decode()
    assert endpoint.secret not in client.get("/t/alpha/webhooks/").content.decode()
    assert client.get(f"/t/alpha/webhooks/{endpoint.pk}/").status_code == 200


def test_the_signature_is_an_hmac_of_time_and_body():
    assert services.signature("k", 1700000000, b'{"a":1}') == (
        "t=1700000000,v1=" + hmac.new(b"k", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    )
