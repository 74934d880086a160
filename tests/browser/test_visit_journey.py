"""A first visit in the browser: prepare it from the partner's page, tick the checklist, and record
the visit by the playbook's script."""

import pytest

from partners.models import Visit, VisitPlan
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_prepares_ticks_and_records_a_scripted_visit(page, login, tenant, member):
    member(tenant, Role.CHANNEL_MANAGER, username="mia")
    partner = PartnerFactory(tenant=tenant, name="Danube Drives", region="East")

    login(page, "mia")
    page.goto(f"/t/{tenant.slug}/partners/{partner.pk}/")
    page.click("[data-testid=prepare-visit]")
    page.fill("textarea[name=goal]", "Show the maths against their brand")
    page.click("[data-testid=visit-plan-form] button[type=submit]")

    checklist = page.locator("[data-testid=visit-checklist]")
    for box in checklist.locator("input[type=checkbox]").all():
        box.check()
    checklist.locator("button[type=submit]").click()
    assert page.locator("[data-testid=visit-checklist] .badge-ok").is_visible()

    page.click("[data-testid=record-visit]")
    form = page.locator("[data-testid=visit-form]")
    form.locator("textarea[name=summary]").fill("Stopped at the maths: no figures for their line")
    form.locator("input[name=step_opening]").check()
    form.locator("input[name=step_products]").check()
    form.locator("input[name=step_products_note]").fill("Liked the case book")
    form.locator("select[name=concern_money]").select_option("2")
    form.locator("textarea[name=objection_price]").fill("Margin too thin")
    form.locator("select[name=objection_price_step]").select_option("maths")
    form.locator("select[name=stopped_at]").select_option("maths")
    form.locator("textarea[name=missed_why]").fill("Bring the margin sheet")
    form.locator("button[type=submit]").click()

    page.wait_for_url(f"**/partners/{partner.pk}/")
    assert "Visit logged." in page.content()
    with tenant_context(tenant):
        visit = Visit.objects.for_tenant(tenant).get(partner=partner)
        plan = VisitPlan.objects.for_tenant(tenant).get(partner=partner)
    assert plan.visit_id == visit.pk and plan.prepared
    assert visit.script["products"] == {"done": True, "note": "Liked the case book"}
    assert (visit.concerns, visit.stopped_at) == ({"money": 2}, "maths")
