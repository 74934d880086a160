"""An integrator in Chromium makes an API token on the profile page, copies its secret (shown once),
uses it, and revokes it there."""

import pytest
from rest_framework.test import APIClient

from prm.apitokens.models import ApiToken
from prm.tenancy.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_token_is_created_shown_once_used_and_revoked_on_the_profile_page(page, login, tenant, member):
    # given a finance member on the profile page
    member(tenant, Role.FINANCE, username="fin")
    login(page, "fin")
    page.goto("/accounts/profile/")
    section = page.locator("[data-testid=api-tokens]")
    assert "No API tokens yet." in section.inner_text()

    # when she names a read-only token for 30 days
    page.fill("#id_name", "bi-export")
    page.check("input[name=scope][value=read]")
    page.fill("#id_expires_in_days", "30")
    page.click("[data-testid=token-form] button[type=submit]")
    page.wait_for_load_state("networkidle")

    # then its secret is shown once, with the hint to copy it, and the token is listed
    secret = page.locator("[data-testid=new-token-secret]").input_value()
    assert secret.startswith("prm_")
    assert "cannot be shown again" in page.locator("[data-testid=new-token]").inner_text()
    row = page.locator("[data-testid=token-list] tbody tr").first
    assert (
        "bi-export" in row.inner_text() and "Read only" in row.inner_text() and "Active" in row.inner_text()
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/tenants/").status_code == 200

    # and once she leaves the page, the secret is gone from it
    page.goto("/accounts/profile/")
    assert page.locator("[data-testid=new-token]").count() == 0
    assert "never" not in page.locator("[data-testid=token-list]").inner_text()  # its use is shown

    # when she revokes it
    page.locator("[data-testid=token-list] tbody tr").first.locator("button", has_text="Revoke").click()
    page.wait_for_load_state("networkidle")

    # then it stays listed as revoked and no longer opens the API
    assert "Revoked" in page.locator("[data-testid=token-list] tbody tr").first.inner_text()
    assert ApiToken.objects.get().state == "revoked"
    assert client.get("/api/v1/tenants/").status_code == 401
