"""Journey: a candidate from an unlisted region applies with "Other"; an admin adds the region to
the list from the Applications page in one click."""

import pytest
from django.core.cache import cache

from partners.models import Partner, ReferenceItem
from tests.factories import ReferenceItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_applies_from_an_unlisted_region_and_the_admin_lists_it(page, login, tenant, member):
    cache.clear()
    for name in ("North", "South"):
        ReferenceItemFactory(tenant=tenant, kind="region", name=name)
    admin = member(tenant, "admin")
    admin.username = "ada"
    admin.save()

    # the candidate
    page.goto(f"/apply/{tenant.slug}/")
    page.fill("input[name=company]", "Bayern Motion")
    page.fill("input[name=contact_name]", "Max Huber")
    page.fill("input[name=email]", "max@bayern.example")
    page.select_option("select[name=region]", "__other__")
    page.fill("input[name=region_other]", "Bavaria")
    page.click("text=Send the application")
    assert "Bayern Motion" in page.content()

    # the reviewer
    login(page, "ada")
    page.goto(f"/t/{tenant.slug}/applications/")
    row = page.locator("[data-testid=applications] tbody tr").first
    assert "not listed" in row.inner_text()
    page.click("[data-testid=add-to-list-region]")

    assert "settled" in page.content()
    assert page.locator("[data-testid=review-region]").count() == 0
    assert ReferenceItem.objects.for_tenant(tenant).filter(kind="region", name="Bavaria").exists()
    assert Partner.objects.for_tenant(tenant).get(name="Bayern Motion").region == "Bavaria"
