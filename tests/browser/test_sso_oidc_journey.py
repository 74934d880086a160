"""Journey: a tenant's staff member signs in through the company's OpenID Connect provider.

From the sign-in page ("Sign in with your company account"), the work e-mail's domain picks the
provider and Chromium is sent to a real OpenID provider (oidc-provider-mock, on its own port),
signs in on its authorization page, comes back through ``/sso/oidc/callback/`` and lands on the
tenant's dashboard as a just-in-time account with the role its group maps to. Someone whose groups
map to nothing sees the refusal page (403) saying why, and no account is made.
"""

import pytest
from django.contrib.auth import get_user_model
from oidc_provider_mock import run_server_in_thread

from prm.sso.models import ExternalIdentity
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership
from tests.sso.conftest import make_provider, set_idp_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "operations"]),
]


@pytest.fixture(scope="module")
def oidc_server():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def provider(tenant, oidc_server, settings):
    # the test provider runs on this machine over http: allowed explicitly, as an on-premises one
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = True
    return make_provider(tenant, oidc_server)


def sign_in_at_the_company(page, oidc_server, email: str, sub: str):
    """The sign-in page → the company sign-in form → the provider's page, signed in as ``sub``."""
    page.goto("/accounts/login/")
    page.click("text=Sign in with your company account")
    page.fill("#sso-email", email)
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"{oidc_server}/oauth2/authorize**")
    assert page.locator("h1").inner_text() == "Authorize Client"
    page.fill("input[name=sub]", sub)
    page.click("button:has-text('Authorize')")


def test_a_first_sign_in_lands_on_the_dashboard_with_the_mapped_role(page, tenant, provider, oidc_server):
    set_idp_user(
        oidc_server,
        "okta|mia",
        email="mia@alpha.example",
        given_name="Mia",
        family_name="Okafor",
        groups=["prm-managers"],
    )

    sign_in_at_the_company(page, oidc_server, "mia@alpha.example", "okta|mia")
    page.wait_for_url(f"**/t/{tenant.slug}/")

    assert page.locator("h1").inner_text() == "Dashboard"
    assert "Channel manager" in page.locator("details.menu summary").last.inner_text()
    user = get_user_model().objects.get(email="mia@alpha.example")
    assert (user.first_name, user.last_name) == ("Mia", "Okafor") and not user.has_usable_password()
    found = Membership.objects.for_tenant(tenant).get(user=user)
    assert found.role == Role.CHANNEL_MANAGER and found.is_active
    assert ExternalIdentity.objects.for_tenant(tenant).get(subject="okta|mia").user == user


def test_groups_that_map_to_nothing_show_the_refusal_page(page, tenant, provider, oidc_server):
    set_idp_user(oidc_server, "okta|cook", email="cook@alpha.example", groups=["canteen"])
    answers = []
    page.on("response", lambda r: answers.append(r) if "/sso/oidc/callback/" in r.url else None)

    sign_in_at_the_company(page, oidc_server, "cook@alpha.example", "okta|cook")
    page.wait_for_url("**/sso/oidc/callback/**")

    assert page.locator("h1").inner_text() == "Sign-in refused"
    assert "gives you no role in Alpha Robotics" in page.locator(".refusal").inner_text()
    assert [r.status for r in answers] == [403]
    assert not get_user_model().objects.filter(email="cook@alpha.example").exists()
    page.goto(f"/t/{tenant.slug}/")
    assert "/accounts/login/" in page.url
