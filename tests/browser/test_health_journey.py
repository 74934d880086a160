"""Journey: a channel manager sees a partner flagged on the dashboard and reads why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.tiering.recompute import tiers_recompute
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sees_a_partner_at_risk_and_why(page, login, tenant, member):
    manager = member(tenant, "channel_manager")
    manager.username = "mia"
    manager.save()
    long_ago = timezone.now() - timedelta(days=200)
    PartnerFactory(
        tenant=tenant,
        name="Baltic Motion",
        stage="signed",
        owner=manager,
        stage_entered_at=long_ago,
        stage_due_at=timezone.now() - timedelta(days=3),
    )
    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)

    login(page, "mia")
    page.goto(f"/t/{tenant.slug}/")
    flagged = page.locator("[data-testid=needs-attention]")
    assert "Baltic Motion" in flagged.inner_text()
    page.click("[data-testid=needs-attention] >> text=Baltic Motion")

    card = page.locator("[data-testid=partner-health]")
    assert "At risk" in card.inner_text()
    assert "No sale and no deal registration in 90 days." in card.inner_text()
    assert "Overdue in its stage by 3 days." in card.inner_text()
