"""Customer surveys: the daily job (consent, delay, once, one reminder), the public answer page
(single use, expired, tampered, no JavaScript needed) and the NPS it feeds, in the right period."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from partners.choices import DealStatus
from prm.periods import parse_period
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import SatisfactionResult
from scorecards.sources import satisfaction
from surveys.models import CustomerSurvey
from surveys.services.customer import customer_surveys_send
from tests.factories import (
    DealRegistrationFactory,
    PartnerFactory,
    ProductRegistrationFactory,
    ScorecardFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def surveying(tenant):
    tenant.programme_settings = {
        "surveys": {
            "customer_survey_after": "both",
            "customer_survey_delay_days": 14,
            "customer_survey_reminder_days": 7,
            "customer_survey_link_days": 30,
        }
    }
    tenant.save()
    return tenant


def registration(tenant, partner, *, days_ago=20, consent=True, email="buyer@contoso.example", **kwargs):
    return ProductRegistrationFactory(
        tenant=tenant,
        partner=partner,
        date=TODAY - datetime.timedelta(days=days_ago),
        customer_consent=consent,
        customer_email=email,
        **kwargs,
    )


def send(tenant, today, capture):
    with tenant_context(tenant), capture(execute=True):
        return customer_surveys_send(tenant=tenant, today=today)


def link_in(message) -> str:
    return re.search(r"http://\S+/survey/(\S+)/", message.body).group(0).split("127.0.0.1:8000")[-1]


def test_the_job_surveys_consenting_customers_after_the_delay_once_and_reminds_once(
    surveying, django_capture_on_commit_callbacks
):
    tenant = surveying
    partner = PartnerFactory(tenant=tenant, name="Nordwind")
    due = registration(tenant, partner, customer_language="de")
    registration(tenant, partner, consent=False, email="no@x.example")
    registration(tenant, partner, days_ago=3, email="early@x.example")
    registration(tenant, partner, email="")

    assert send(tenant, TODAY, django_capture_on_commit_callbacks) == {"sent": 1, "reminded": 0}
    assert [m.to for m in mail.outbox] == [["buyer@contoso.example"]]
    assert "Nordwind" in mail.outbox[0].subject
    assert "/survey/" in mail.outbox[0].body
    with tenant_context(tenant):
        survey = CustomerSurvey.objects.for_tenant(tenant).get()
    assert survey.registration == due and survey.language == "de"

    # the next day: nothing new, nothing to remind yet
    assert send(tenant, TODAY + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == {
        "sent": 0,
        "reminded": 0,
    }
    # a week later: one reminder; later still, none
    assert (
        send(tenant, TODAY + datetime.timedelta(days=7), django_capture_on_commit_callbacks)["reminded"] == 1
    )
    assert (
        send(tenant, TODAY + datetime.timedelta(days=10), django_capture_on_commit_callbacks)["reminded"] == 0
    )
    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_the_programme_says_off(tenant, django_capture_on_commit_callbacks):
    registration(tenant, PartnerFactory(tenant=tenant))
    assert send(tenant, TODAY, django_capture_on_commit_callbacks)["sent"] == 0
    assert mail.outbox == []


def test_a_won_deal_reaches_its_customer_through_a_consenting_registration(
    surveying, django_capture_on_commit_callbacks
):
    tenant = surveying
    partner = PartnerFactory(tenant=tenant)
    registration(tenant, partner, customer="Acme GmbH", days_ago=400, email="ops@acme.example")
    won = DealRegistrationFactory(
        tenant=tenant,
        partner=partner,
        customer="ACME GmbH",
        customer_key="acme gmbh",
        status=DealStatus.WON,
        closed_at=timezone.make_aware(datetime.datetime(2026, 5, 1, 12)),
    )
    DealRegistrationFactory(
        tenant=tenant,
        partner=partner,
        customer="Nobody",
        status=DealStatus.WON,
        closed_at=timezone.make_aware(datetime.datetime(2026, 5, 1, 12)),
    )
    send(tenant, TODAY, django_capture_on_commit_callbacks)
    with tenant_context(tenant):
        deals = list(CustomerSurvey.objects.for_tenant(tenant).filter(deal__isnull=False))
    assert [(s.deal, s.email) for s in deals] == [(won, "ops@acme.example")]


def test_the_link_answers_once_without_an_account_and_feeds_the_nps(
    surveying, client, django_capture_on_commit_callbacks
):
    tenant = surveying
    partner = PartnerFactory(tenant=tenant, name="Nordwind")
    registration(tenant, partner)
    send(tenant, timezone.localdate(), django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'type="radio"' in body and body.count('name="score"') == 11 and "Nordwind" in body

    # an invalid answer: 400 with the form again
    assert client.post(url, {"score": "11"}).status_code == 400
    answered = client.post(url, {"score": "9", "comment": "Quick install"})
    assert answered.status_code == 200 and "received your answer" in answered.content.decode()

    with tenant_context(tenant):
        result = SatisfactionResult.objects.for_tenant(tenant).get()
        assert (result.partner, result.score, result.comment) == (partner, 9, "Quick install")
        period = parse_period(f"{result.date.year}-Q{(result.date.month - 1) // 3 + 1}")
        assert satisfaction(tenant, period) == {partner.pk: 100}

    again = client.post(url, {"score": "0"})
    assert again.status_code == 410 and "answered already" in again.content.decode()
    assert client.get(url).status_code == 410


def test_an_expired_link_is_410_and_a_tampered_one_404(surveying, client, django_capture_on_commit_callbacks):
    tenant = surveying
    sent_on = timezone.localdate() - datetime.timedelta(days=60)
    days_ago = (TODAY - sent_on).days + 20
    registration(tenant, PartnerFactory(tenant=tenant), days_ago=days_ago)
    send(tenant, sent_on, django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    expired = client.get(url)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert client.post(url, {"score": "5"}).status_code == 410

    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    assert client.get(tampered).status_code == 404
    assert client.get("/survey/not-a-token/").status_code == 404


def test_an_answer_after_the_period_closed_counts_in_the_next(
    surveying, client, django_capture_on_commit_callbacks
):
    tenant = surveying
    partner = PartnerFactory(tenant=tenant)
    registration(tenant, partner)
    today = timezone.localdate()
    send(tenant, today, django_capture_on_commit_callbacks)
    current = parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    ScorecardFactory(tenant=tenant, partner=partner, period=current.code)  # the period's scorecards computed

    assert client.post(link_in(mail.outbox[0]), {"score": "3"}).status_code == 200
    with tenant_context(tenant):
        result = SatisfactionResult.objects.for_tenant(tenant).get()
        assert result.date == current.next().start
        assert satisfaction(tenant, current) == {}
        assert satisfaction(tenant, current.next()) == {partner.pk: -100}


def test_the_customer_surveys_page_and_api(
    surveying, web, api, member, partner_user, django_capture_on_commit_callbacks
):
    tenant = surveying
    own, other = PartnerFactory(tenant=tenant, name="Own"), PartnerFactory(tenant=tenant, name="Other")
    registration(tenant, own, customer="Own customer")
    registration(tenant, other, customer="Other customer")
    send(tenant, TODAY, django_capture_on_commit_callbacks)

    manager = member(tenant, Role.CHANNEL_MANAGER)
    page = web(manager).get(f"/t/{tenant.slug}/surveys/customers/")
    assert page.status_code == 200 and "Own customer" in page.content.decode()
    assert "Other customer" in page.content.decode()

    seller = partner_user(tenant, own)
    body = api(seller).get(f"/api/v1/tenants/{tenant.slug}/customer-surveys/").json()
    assert [row["customer"] for row in body["results"]] == ["Own customer"]
    assert "nonce" not in body["results"][0] and "email" not in body["results"][0]
