"""The daily retention job deletes audit rows and erases lost partners' people exactly past the
tenant's settings, tenant by tenant, and records what it did."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.choices import Stage
from partners.models import Contact
from prm.audit.models import AuditEntry
from prm.notifications.models import SentEmail
from prm.privacy.retention import months_before
from prm.privacy.tasks import retention
from prm.tenancy.context import tenant_context
from tests.factories import AuditEntryFactory, ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _aged(tenant, entry, days):
    AuditEntry.objects.for_tenant(tenant).filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_old_audit_rows_go_and_newer_ones_stay(tenant, other_tenant):
    # given: alpha keeps 12 months, beta keeps everything
    tenant.programme_settings = {"privacy": {"audit_retention_months": 12}}
    tenant.save()
    old, recent = AuditEntryFactory(tenant=tenant), AuditEntryFactory(tenant=tenant)
    _aged(tenant, old, 400)
    _aged(tenant, recent, 300)
    theirs = AuditEntryFactory(tenant=other_tenant)
    _aged(other_tenant, theirs, 4000)

    # when
    result = retention()

    # then
    kept = set(AuditEntry.objects.for_tenant(tenant).values_list("pk", flat=True))
    assert old.pk not in kept and recent.pk in kept
    assert AuditEntry.objects.for_tenant(other_tenant).filter(pk=theirs.pk).exists()
    assert result["totals"]["audit_deleted"] == 1 and result["failed"] == []
    entry = AuditEntry.objects.for_tenant(tenant).get(action="personal_data.retention_applied")
    assert entry.changes["counts"]["audit_deleted"] == 1


def test_copies_of_sent_mail_older_than_the_setting_go_and_newer_ones_stay(tenant, other_tenant):
    # given: alpha keeps its copies 3 months, beta forever
    tenant.programme_settings = {"privacy": {"sent_mail_retention_months": 3}}
    tenant.save()
    with tenant_context(tenant):
        old = SentEmail.objects.create(tenant=tenant, subject="Old", to=["a@example.com"])
        recent = SentEmail.objects.create(tenant=tenant, subject="Recent", to=["b@example.com"])
    with tenant_context(other_tenant):
        theirs = SentEmail.objects.create(tenant=other_tenant, subject="Theirs", to=["c@example.com"])
    SentEmail.objects.for_tenant(tenant).filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=100)
    )
    SentEmail.objects.for_tenant(tenant).filter(pk=recent.pk).update(
        created_at=timezone.now() - timedelta(days=80)
    )
    SentEmail.objects.for_tenant(other_tenant).filter(pk=theirs.pk).update(
        created_at=timezone.now() - timedelta(days=4000)
    )

    # when
    result = retention()

    # then
    assert list(SentEmail.objects.for_tenant(tenant).values_list("subject", flat=True)) == ["Recent"]
    assert SentEmail.objects.for_tenant(other_tenant).filter(pk=theirs.pk).exists()
    assert result["totals"]["sent_mail_deleted"] == 1


def test_the_people_of_partners_lost_long_ago_are_erased_once(tenant):
    # given
    tenant.programme_settings = {"privacy": {"lost_partner_retention_months": 6}}
    tenant.save()
    long_lost = PartnerFactory(
        tenant=tenant, stage=Stage.LOST, stage_entered_at=timezone.now() - timedelta(days=200)
    )
    just_lost = PartnerFactory(
        tenant=tenant, stage=Stage.LOST, stage_entered_at=timezone.now() - timedelta(days=150)
    )
    active = PartnerFactory(
        tenant=tenant, stage=Stage.SIGNED, stage_entered_at=timezone.now() - timedelta(days=900)
    )
    gone = ContactFactory(tenant=tenant, partner=long_lost, name="Carla Mendes", email="carla@lost.example")
    kept = [ContactFactory(tenant=tenant, partner=p) for p in (just_lost, active)]

    # when
    first = retention()
    second = retention()

    # then
    with tenant_context(tenant):
        erased = Contact.objects.get(pk=gone.pk)
        assert erased.name == f"Erased person #{gone.pk}" and erased.email.endswith("@erased.invalid")
        assert [Contact.objects.get(pk=c.pk).email for c in kept] == [c.email for c in kept]
    assert first["totals"]["partners_erased"] == 1 and first["totals"]["contacts"] == 1
    assert second["totals"].get("partners_erased", 0) == 0


def test_months_before_clamps_to_the_months_end():
    moment = timezone.now().replace(year=2026, month=3, day=31)

    assert months_before(moment, 1).date().isoformat() == "2026-02-28"
    assert months_before(moment, 15).date().isoformat() == "2024-12-31"
