"""Points expiry: first in, first out; the daily job writes one row per partner for what its old lots
still hold, and e-mails the partner's users 30 days before, once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from incentives.models import PointsEntry
from prm.tenancy.context import tenant_context
from rewards.catalogue.ledger import balance
from rewards.catalogue.services.expiry import points_expire, remaining_lots
from tests.factories import PartnerFactory, PointsEntryFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def at(day: str):
    return timezone.make_aware(datetime.datetime.fromisoformat(day + "T12:00"))


def entry(tenant, partner, points, day):
    row = PointsEntryFactory(tenant=tenant, partner=partner, points=points)
    PointsEntry.objects.for_tenant(tenant).filter(pk=row.pk).update(created_at=at(day))


def test_debits_spend_the_oldest_lots_first():
    rows = [(at("2025-01-01"), 100), (at("2025-02-01"), 50), (at("2025-03-01"), -120), (at("2025-04-01"), 20)]
    assert remaining_lots(rows) == [(at("2025-02-01"), 30), (at("2025-04-01"), 20)]


def test_the_daily_job_expires_the_oldest_points_and_warns_once(
    tenant, partner_user, django_capture_on_commit_callbacks
):
    # given: points live 12 months; 100 earned 13 months ago (30 of them spent), 50 that turn 12 months
    # old in 16 days, 70 earned this spring
    tenant.programme_settings = {"catalogue": {"points_expiry_months": 12}}
    tenant.save()
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind")
    user = partner_user(tenant, partner=nordwind)
    entry(tenant, nordwind, 100, "2025-05-01")
    entry(tenant, nordwind, -30, "2026-01-10")
    entry(tenant, nordwind, 50, "2025-07-01")
    entry(tenant, nordwind, 70, "2026-03-01")

    # when: the job runs today, and again tomorrow
    with tenant_context(tenant), django_capture_on_commit_callbacks(execute=True):
        first = points_expire(tenant=tenant, today=TODAY)
        again = points_expire(tenant=tenant, today=TODAY + datetime.timedelta(days=1))

        # then: the 70 left of the oldest lot expired, once; the 50 are announced, once
        expired = PointsEntry.objects.for_tenant(tenant).filter(partner=nordwind, points__lt=-30)
        assert first == {"expired": 70, "warned": 1} and again == {"expired": 0, "warned": 0}
        assert [(e.points, e.reason) for e in expired] == [
            (-70, "Expired: points earned more than 12 months ago")
        ]
        assert balance(nordwind) == 120
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "50 points of Nordwind expire on" in mail.outbox[0].body


def test_points_never_expire_when_the_programme_says_so(tenant):
    nordwind = PartnerFactory(tenant=tenant)
    entry(tenant, nordwind, 100, "2020-01-01")
    with tenant_context(tenant):
        assert points_expire(tenant=tenant, today=TODAY) == {"expired": 0, "warned": 0}
        assert balance(nordwind) == 100


def test_the_expiry_setting_is_a_programme_setting_from_0_to_120_months(api, tenant, member):
    admin = api(member(tenant, "admin"))
    bad = admin.patch("/api/v1/tenants/alpha/programme/", {"points_expiry_months": 121}, format="json")
    good = admin.patch("/api/v1/tenants/alpha/programme/", {"points_expiry_months": 18}, format="json")

    assert bad.status_code == 400 and "points_expiry_months" in bad.json()
    assert good.status_code == 200 and good.json()["points_expiry_months"] == 18
