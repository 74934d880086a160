"""The demo's requests: a complaint answered late, an idea answered in time, one open and overdue,
none before the partner existed."""

import datetime

import pytest
from django.utils import timezone

from conversations import demo
from conversations.models import PartnerRequest
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, PartnerUserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_tells_a_late_answer_an_idea_in_time_and_an_overdue_request(tenant, member):
    owner = member(tenant, Role.CHANNEL_MANAGER)
    member(tenant, Role.ADMIN)
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", owner=owner)
    partner.created_at = timezone.now() - datetime.timedelta(days=60)
    partner.save(update_fields=["created_at"])
    PartnerUserFactory(tenant=tenant, partner=partner, membership__user__username="alpha-partner")

    demo.seed(tenant)
    demo.seed(tenant)  # idempotent

    rows = {r.category: r for r in PartnerRequest.objects.for_tenant(tenant)}
    assert len(rows) == 3
    assert rows["complaint"].answered_in_time is False and rows["complaint"].status == "answered"
    assert rows["idea"].answered_in_time is True
    assert rows["request"].is_overdue
    assert all(r.raised_at >= partner.created_at for r in rows.values())
