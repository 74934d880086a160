"""The nightly beat job: lapsed deal protections expire and tiers are recomputed, per tenant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.models import DealRegistration, Partner
from partners.tasks import nightly
from tests.factories import DealRegistrationFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_nightly_expires_lapsed_deals_and_recomputes_tiers_in_every_tenant(tenant, other_tenant):
    lapsed = DealRegistrationFactory(tenant=tenant, expires_at=timezone.now() - timedelta(days=1))
    live = DealRegistrationFactory(tenant=other_tenant, expires_at=timezone.now() + timedelta(days=1))
    PartnerFactory(tenant=other_tenant)

    nightly()

    statuses = {}
    for each in (tenant, other_tenant):
        statuses |= dict(DealRegistration.objects.for_tenant(each).values_list("pk", "status"))
        assert all(p.computed_tier for p in Partner.objects.for_tenant(each).exclude(stage="lost"))
    assert statuses == {lapsed.pk: "expired", live.pk: "pending"}
