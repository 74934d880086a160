"""The mail store: each tenant's sent e-mails kept in the database, read on the Sent mail page and
through sent-mail/; the demo delivers into it, so nothing is printed."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from prm.notifications import notify
from prm.notifications.models import SentEmail
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from tests.factories import SentEmailFactory

pytestmark = pytest.mark.django_db

STORE = "prm.notifications.store.StoredEmailBackend"


@pytest.fixture
def store_delivery(settings):
    """The demo's mail path: queued, then delivered (eagerly) into the store."""
    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
    settings.PRM_EMAIL_DELIVERY_BACKEND = STORE
    return settings


def kept(tenant):
    return list(SentEmail.objects.for_tenant(tenant).order_by("id"))


def tell_managers(tenant, member, django_capture_on_commit_callbacks):
    manager = member(tenant, Role.CHANNEL_MANAGER, email="cm@alpha.example")
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        notify(
            tenant=tenant,
            users=[manager],
            category="applications",
            subject="New partner application: Nordwind",
            template="notifications/application.txt",
            context={"application": {"company": "Nordwind"}, "partner": None},
        )


# --- the store ----------------------------------------------------------------------


def test_the_demo_delivery_keeps_a_notification_in_its_tenant_and_sends_nothing(
    store_delivery, tenant, other_tenant, member, django_capture_on_commit_callbacks, capsys
):
    # when
    tell_managers(tenant, member, django_capture_on_commit_callbacks)

    # then
    [email] = kept(tenant)
    assert email.to == ["cm@alpha.example"]
    assert email.subject == "New partner application: Nordwind"
    assert email.kind == "applications"
    assert "Nordwind" in email.text
    assert kept(other_tenant) == []
    assert mail.outbox == []
    assert "New partner application" not in capsys.readouterr().out  # the console stays quiet


def test_production_delivers_by_its_backend_and_keeps_a_copy_when_asked(
    settings, tenant, member, django_capture_on_commit_callbacks
):
    # given
    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRM_EMAIL_STORE = True

    # when
    tell_managers(tenant, member, django_capture_on_commit_callbacks)

    # then
    assert [m.to for m in mail.outbox] == [["cm@alpha.example"]]
    assert [e.subject for e in kept(tenant)] == ["New partner application: Nordwind"]


def test_production_keeps_nothing_without_the_setting(
    settings, tenant, member, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRM_EMAIL_STORE = False

    tell_managers(tenant, member, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert kept(tenant) == []


def test_a_message_of_no_tenant_is_not_kept(store_delivery, tenant, django_capture_on_commit_callbacks):
    # given: a password reset is sent outside any tenant
    with django_capture_on_commit_callbacks(execute=True):
        EmailMessage("Password reset", "Follow the link", to=["jo@example.com"]).send()

    # then
    assert SentEmail.objects.for_tenant(tenant).count() == 0
    assert mail.outbox == []


def test_the_html_alternative_is_kept_beside_the_text(
    store_delivery, tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        from_django = mail.EmailMultiAlternatives("Hi", "plain words", to=["jo@example.com"])
        from_django.attach_alternative("<p>rich <b>words</b></p>", "text/html")
        from_django.send()

    [email] = kept(tenant)
    assert email.text == "plain words"
    assert email.html == "<p>rich <b>words</b></p>"


# --- the page -----------------------------------------------------------------------


def test_an_admin_reads_what_was_sent_newest_first(web, tenant, other_tenant, member):
    # given
    SentEmailFactory(tenant=tenant, subject="You are invited", to=["jo@nordwind.example"])
    SentEmailFactory(tenant=tenant, subject="Your tier changed", kind="tiers")
    SentEmailFactory(tenant=other_tenant, subject="Beta's own news")

    # when
    response = web(member(tenant, Role.ADMIN)).get("/t/alpha/sent-mail/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Your tier changed") < html.index("You are invited")
    assert "jo@nordwind.example" in html
    assert "Invitations" in html  # the kind by its label
    assert "Beta&#x27;s own news" not in html and "Beta's own news" not in html


def test_the_pages_follow_the_keyset_to_the_oldest_message(web, tenant, member):
    # given: 51 messages, one a minute
    start = timezone.now() - datetime.timedelta(hours=2)
    emails = [SentEmailFactory(tenant=tenant, subject=f"Message {n:02}") for n in range(51)]
    for n, email in enumerate(emails):
        SentEmail.objects.for_tenant(tenant).filter(pk=email.pk).update(
            created_at=start + datetime.timedelta(minutes=n)
        )
    client = web(member(tenant, Role.ADMIN))

    # when
    first = client.get("/t/alpha/sent-mail/")
    older = first.context["next_after"]
    second = client.get(f"/t/alpha/sent-mail/?after={older}")

    # then
    assert [e.subject for e in first.context["emails"]][:2] == ["Message 50", "Message 49"]
    assert len(first.context["emails"]) == 50
    assert [e.subject for e in second.context["emails"]] == ["Message 00"]
    assert second.context["next_after"] is None
    assert 'data-testid="older"' in first.content.decode()


def test_a_message_shows_its_text_and_its_html_only_in_a_sandboxed_frame(web, tenant, member):
    # given
    email = SentEmailFactory(tenant=tenant, html='<p>Hi</p><script>alert("x")</script>')

    # when
    response = web(member(tenant, Role.ADMIN)).get(f"/t/alpha/sent-mail/{email.pk}/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Set your password: https://prm.example/accounts/reset/x/y/" in html
    assert 'sandbox=""' in html
    assert "<script>alert" not in html  # escaped into the frame's srcdoc, never the page's own markup
    assert "&lt;script&gt;alert" in html


@pytest.mark.parametrize("role", [Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD, Role.FINANCE])
def test_only_admins_read_the_sent_mail(web, tenant, member, role):
    email = SentEmailFactory(tenant=tenant)
    client = web(member(tenant, role))

    assert client.get("/t/alpha/sent-mail/").status_code == 403
    assert client.get(f"/t/alpha/sent-mail/{email.pk}/").status_code == 403


def test_another_tenants_message_is_not_found(web, tenant, other_tenant, member):
    theirs = SentEmailFactory(tenant=other_tenant)

    assert web(member(tenant, Role.ADMIN)).get(f"/t/alpha/sent-mail/{theirs.pk}/").status_code == 404


# --- the API ------------------------------------------------------------------------


def test_the_api_lists_sent_mail_by_cursor_and_filters_by_kind(api, tenant, member):
    # given
    SentEmailFactory(tenant=tenant, kind="invitations", subject="Invited")
    SentEmailFactory(tenant=tenant, kind="tiers", subject="Tier B")
    client = api(member(tenant, Role.ADMIN))

    # when
    everything = client.get("/api/v1/tenants/alpha/sent-mail/").json()
    tiers = client.get("/api/v1/tenants/alpha/sent-mail/?kind=tiers").json()

    # then
    assert set(everything) == {"next", "previous", "results"}
    assert [e["subject"] for e in everything["results"]] == ["Tier B", "Invited"]
    assert [e["subject"] for e in tiers["results"]] == ["Tier B"]
    one = client.get(f"/api/v1/tenants/alpha/sent-mail/{everything['results'][0]['id']}/").json()
    assert one["to"] == ["jo@nordwind.example"] and one["kind"] == "tiers"


def test_the_api_refuses_sent_mail_to_other_roles(api, tenant, member):
    assert (
        api(member(tenant, Role.CHANNEL_MANAGER)).get("/api/v1/tenants/alpha/sent-mail/").status_code == 403
    )


# --- the demo -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the seed's own commit sends its e-mails
def test_seeding_the_demo_prints_no_email_and_keeps_each_in_its_tenant(settings, capsys):
    # given: the demo's mail path with the console as delivery
    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"

    # when
    call_command("seed_demo", verbosity=0)

    # then
    assert "Subject:" not in capsys.readouterr().out
    acme = Tenant.objects.get(slug="acme")
    assert SentEmail.objects.for_tenant(acme).exists()
