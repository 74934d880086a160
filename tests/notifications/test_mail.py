"""E-mail leaves through a Celery task after the commit: an SMTP outage never fails the action."""

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from onboarding.models import Application
from prm.notifications.mail import message_to_json
from prm.notifications.tasks import MAX_RETRIES, deliver_email
from prm.tenancy.choices import Role
from tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ATTEMPTS: list[list[str]] = []


class DownSmtpBackend(BaseEmailBackend):
    """Every delivery fails as an unreachable SMTP server does."""

    def send_messages(self, email_messages):
        ATTEMPTS.extend(message.to for message in email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def queued_mail(settings):
    """Production's mail path: the queued backend, delivered by the task (eagerly here)."""
    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ATTEMPTS.clear()
    return settings


@pytest.fixture
def smtp_down(queued_mail):
    queued_mail.PRM_EMAIL_DELIVERY_BACKEND = f"{__name__}.DownSmtpBackend"
    return queued_mail


def invite(api, tenant, member, partner):
    return api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"/api/v1/tenants/{tenant.slug}/partner-users/invite/",
        {"partner": partner.pk, "email": "jo@nordwind.example"},
    )


def test_an_invitation_is_mailed_by_the_task_once_the_invitation_is_committed(
    queued_mail, api, tenant, member, django_capture_on_commit_callbacks
):
    partner = PartnerFactory(tenant=tenant)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = invite(api, tenant, member, partner)
    assert response.status_code == 201
    assert mail.outbox == []  # nothing is sent inside the request's transaction

    with django_capture_on_commit_callbacks(execute=True):  # the commit: the task runs (eagerly here)
        for callback in callbacks:
            callback()
    assert [message.to for message in mail.outbox] == [["jo@nordwind.example"]]
    assert "/invitations/" in mail.outbox[0].body


def test_an_smtp_outage_never_fails_an_invitation(
    smtp_down, api, tenant, member, django_capture_on_commit_callbacks, caplog
):
    partner = PartnerFactory(tenant=tenant)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(api, tenant, member, partner)

    assert response.status_code == 201, response.content
    assert ATTEMPTS == [["jo@nordwind.example"]]
    assert "could not be queued or delivered" in caplog.text


def test_a_failed_delivery_is_retried_later_by_the_worker(smtp_down):
    message = EmailMessage("Hello", "Body", "prm@example.com", ["jo@nordwind.example"])

    with pytest.raises(Retry) as retry:
        deliver_email.apply(args=[message_to_json(message)], throw=True)

    assert isinstance(retry.value.exc, smtplib.SMTPServerDisconnected)
    assert retry.value.when is not None  # a worker sends it again after a backoff
    assert deliver_email.max_retries == MAX_RETRIES


def test_an_smtp_outage_never_fails_a_public_application(
    smtp_down, client, tenant, member, django_capture_on_commit_callbacks
):
    manager = member(tenant, Role.CHANNEL_MANAGER)
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

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/apply/{tenant.slug}/", form)

    assert response.status_code == 200
    assert Application.objects.for_tenant(tenant).filter(company="Nordwind Systems").exists()
    assert ATTEMPTS and ATTEMPTS[0] == [manager.email]


def test_an_smtp_outage_never_fails_a_stage_move(
    smtp_down, api, tenant, member, partner_user, django_capture_on_commit_callbacks
):
    partner = PartnerFactory(tenant=tenant)
    ContactFactory(tenant=tenant, partner=partner)
    portal_user = partner_user(tenant, partner=partner)

    with django_capture_on_commit_callbacks(execute=True):
        response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
            f"/api/v1/tenants/{tenant.slug}/partners/{partner.pk}/transition/",
            {"to": "first_talks", "note": "Met at the fair"},
            format="json",
        )

    assert response.status_code == 200, response.json()
    assert ATTEMPTS and ATTEMPTS[0] == [portal_user.email]
