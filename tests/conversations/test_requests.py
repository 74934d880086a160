"""Partners' requests as the services see them: raising, answering, reopening, closing, the answer
time in business days and overdue, the e-mails and the webhook events, and the KPI source."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conversations.businesstime import business_days_between, business_deadline
from conversations.kpis import requests_answered_in_time
from conversations.models import PartnerRequest
from conversations.programme import KEY
from conversations.selectors import thread
from conversations.services import request_close, request_raise, request_reply
from prm.periods import parse_period
from prm.tenancy.access import tenant_access_for
from prm.tenancy.choices import Role
from prm.webhooks.models import Event
from tests.factories import EndpointFactory, PartnerFactory

pytestmark = pytest.mark.django_db

FRIDAY_10 = timezone.make_aware(datetime.datetime(2026, 11, 6, 10, 0))


@pytest.fixture
def setup(tenant, member, partner_user):
    owner = member(tenant, Role.CHANNEL_MANAGER, email="owner@example.com")
    partner = PartnerFactory(tenant=tenant, name="Nordwind", owner=owner)
    user = partner_user(tenant, partner=partner)
    user.email = "buyer@nordwind.example"
    user.save()
    return owner, partner, user


def access(user, tenant):
    return tenant_access_for(user, tenant.slug)


def raise_one(tenant, user, now=FRIDAY_10, **fields):
    return request_raise(
        tenant=tenant,
        access=access(user, tenant),
        actor=user,
        category=fields.get("category", "request"),
        subject=fields.get("subject", "Demo units"),
        text=fields.get("text", "Can we get two demo units?"),
        now=now,
    )


def test_two_business_days_from_friday_morning_are_due_on_tuesday_morning():
    assert business_deadline(FRIDAY_10, datetime.timedelta(days=2)) == FRIDAY_10 + datetime.timedelta(days=4)
    saturday = FRIDAY_10 + datetime.timedelta(days=1)
    assert business_deadline(saturday, datetime.timedelta(hours=4)) == timezone.make_aware(
        datetime.datetime(2026, 11, 9, 4, 0)
    )
    # Friday 10:00 to Monday 10:00 is one business day: the weekend does not count
    assert business_days_between(FRIDAY_10, FRIDAY_10 + datetime.timedelta(days=3)) == Decimal("1.00")


def test_a_partner_raises_a_request_its_manager_is_emailed_and_an_event_leaves(
    tenant, setup, mailoutbox, django_capture_on_commit_callbacks
):
    owner, partner, user = setup
    EndpointFactory(tenant=tenant, events=["request.raised"])
    with django_capture_on_commit_callbacks(execute=True):
        raised = raise_one(tenant, user)
    assert (raised.partner, raised.status, raised.raised_by) == (partner, "open", user)
    assert raised.first_due_at == FRIDAY_10 + datetime.timedelta(days=4)
    assert [m.text for m in thread(raised)] == ["Can we get two demo units?"]
    assert [m.to for m in mailoutbox] == [["owner@example.com"]]
    assert "Demo units" in mailoutbox[0].subject
    event = Event.objects.for_tenant(tenant).get(name="request.raised")
    assert event.data["id"] == raised.pk and event.data["partner"] == partner.pk


def test_staff_cannot_raise_and_an_empty_subject_is_refused(tenant, setup):
    owner, _partner, user = setup
    with pytest.raises(ValidationError) as staff:
        raise_one(tenant, owner)
    with pytest.raises(ValidationError) as empty:
        raise_one(tenant, user, subject="  ")
    assert "detail" in staff.value.message_dict and "subject" in empty.value.message_dict


def test_the_first_answer_is_measured_in_business_days_and_late_past_the_setting(
    tenant, setup, mailoutbox, django_capture_on_commit_callbacks
):
    owner, _partner, user = setup
    EndpointFactory(tenant=tenant, events=["request.answered"])
    raised = raise_one(tenant, user)
    answered_at = FRIDAY_10 + datetime.timedelta(days=5)  # Wednesday 10:00: three business days
    with django_capture_on_commit_callbacks(execute=True):
        request_reply(
            partner_request=raised, access=access(owner, tenant), actor=owner, text="Sent.", now=answered_at
        )
    raised.refresh_from_db()
    assert raised.status == "answered"
    assert raised.answer_business_days == Decimal("3.00") and raised.answered_in_time is False
    assert [m.to for m in mailoutbox] == [["buyer@nordwind.example"]]
    assert Event.objects.for_tenant(tenant).filter(name="request.answered").count() == 1


def test_the_programme_setting_moves_the_deadline(tenant, setup):
    _owner, _partner, user = setup
    tenant.programme_settings[KEY] = {"answer_within": 4, "answer_unit": "hours"}
    tenant.save()
    raised = raise_one(tenant, user)
    assert raised.first_due_at == FRIDAY_10 + datetime.timedelta(hours=4)


def test_another_channel_manager_may_not_answer_but_a_regional_lead_may(tenant, setup, member):
    _owner, _partner, user = setup
    stranger = member(tenant, Role.CHANNEL_MANAGER)
    lead = member(tenant, Role.REGIONAL_LEAD)
    raised = raise_one(tenant, user)
    with pytest.raises(ValidationError):
        request_reply(partner_request=raised, access=access(stranger, tenant), actor=stranger, text="Hi")
    request_reply(partner_request=raised, access=access(lead, tenant), actor=lead, text="On it")
    raised.refresh_from_db()
    assert raised.status == "answered"


def test_the_partner_reopens_by_replying_and_either_side_closes_once(
    tenant, setup, django_capture_on_commit_callbacks
):
    owner, _partner, user = setup
    EndpointFactory(tenant=tenant, events=["request.closed"])
    raised = raise_one(tenant, user, now=timezone.now())
    request_reply(partner_request=raised, access=access(owner, tenant), actor=owner, text="Done")
    with django_capture_on_commit_callbacks(execute=True):
        request_close(partner_request=raised, access=access(owner, tenant), actor=owner)
    raised.refresh_from_db()
    assert raised.status == "closed" and raised.closed_by == owner
    with pytest.raises(ValidationError):
        request_close(partner_request=raised, access=access(user, tenant), actor=user)
    with pytest.raises(ValidationError):  # the vendor does not write in a closed thread
        request_reply(partner_request=raised, access=access(owner, tenant), actor=owner, text="More")
    request_reply(partner_request=raised, access=access(user, tenant), actor=user, text="Not quite")
    raised.refresh_from_db()
    assert raised.status == "open" and raised.closed_at is None and raised.due_at > timezone.now()
    request_close(partner_request=raised, access=access(user, tenant), actor=user)
    assert Event.objects.for_tenant(tenant).filter(name="request.closed").count() == 2


def test_overdue_when_unanswered_past_its_deadline(tenant, setup):
    _owner, _partner, user = setup
    late = raise_one(tenant, user, now=timezone.now() - datetime.timedelta(days=10))
    fresh = raise_one(tenant, user, now=timezone.now())
    assert late.is_overdue and not fresh.is_overdue


def test_the_kpi_source_counts_answers_in_time_and_overdue_ones_against_the_vendor(tenant, setup, member):
    owner, partner, user = setup
    other = PartnerFactory(tenant=tenant, owner=owner)
    now = FRIDAY_10 + datetime.timedelta(days=30)
    in_time = raise_one(tenant, user)
    late = raise_one(tenant, user)
    raise_one(tenant, user)  # never answered, past due: not in time
    owner_access = access(owner, tenant)
    request_reply(partner_request=in_time, access=owner_access, actor=owner, text="a", now=FRIDAY_10)
    request_reply(
        partner_request=late,
        access=owner_access,
        actor=owner,
        text="b",
        now=FRIDAY_10 + datetime.timedelta(days=7),
    )
    # raised now and still within its time: left out
    raise_one(tenant, user, now=now - datetime.timedelta(hours=1))
    period = parse_period("2026-Q4")
    figures = requests_answered_in_time(tenant, period, now=now)
    assert figures == {partner.pk: Decimal(100) / 3}
    assert other.pk not in figures
    assert PartnerRequest.objects.for_tenant(tenant).count() == 4
