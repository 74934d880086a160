"""The tenant admin finds a person by e-mail, downloads what is stored as JSON, and erases it."""

import json

import pytest

from partners.models import Contact
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_exports_and_erases_a_contact(page, login, tenant, member):
    member(tenant, Role.ADMIN, username="ada")
    dora = ContactFactory(tenant=tenant, name="Dora Vidal", email="dora@shop.example", phone="+34 600 1")
    login(page, "ada")

    page.goto("/t/alpha/personal-data/")
    page.fill("input[name=email]", "dora@shop.example")
    page.click("[data-testid=find-person] button[type=submit]")
    found = page.locator("[data-testid=personal-data-found]")
    assert "dora@shop.example" in found.inner_text()

    with page.expect_download() as download:
        page.click("[data-testid=export]")
    exported = json.loads(open(download.value.path()).read())
    assert exported["records"]["contacts"][0]["phone"] == "+34 600 1"

    page.fill("[data-testid=erase] input[name=confirm]", "dora@shop.example")
    page.click("[data-testid=erase] button[type=submit]")
    page.wait_for_load_state("networkidle")

    with tenant_context(tenant):
        erased = Contact.objects.get(pk=dora.pk)
    assert erased.phone == "" and "Dora" not in erased.name and erased.email != "dora@shop.example"
    page.goto("/t/alpha/personal-data/?email=dora@shop.example")
    assert page.locator("[data-testid=nothing-found]").is_visible()
