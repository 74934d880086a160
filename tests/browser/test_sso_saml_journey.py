"""Journey: a tenant's staff member signs in through the company's SAML identity provider.

From the sign-in page ("sign in with your company account", the work e-mail's domain picks the
provider), Chromium goes to the test IdP (tests/sso/saml_idp.py, a real pysaml2 IdP on
its own port), whose auto-submitting form posts the signed assertion back to our assertion
consumer service; the person lands on the tenant's dashboard with the role their groups map to.
A refused assertion shows the refusal page instead.
"""

import pytest
from django.contrib.auth import get_user_model

from prm.sso.models import IdentityProvider
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership
from tests.sso.saml_idp import SamlIdentityProvider

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "operations"]),
]


@pytest.fixture
def saml_idp():
    with SamlIdentityProvider() as idp:
        yield idp


@pytest.fixture
def provider(tenant, saml_idp, client, live_server, settings):
    # the ACS and entity id the IdP sees are built from PRM_BASE_URL: here, the live server
    settings.PRM_BASE_URL = live_server.url
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = True  # the test's IdP listens on http://127.0.0.1
    with tenant_context(tenant):
        provider = IdentityProvider.objects.for_tenant(tenant).create(
            tenant=tenant,
            name="Alpha SAML",
            protocol="saml",
            email_domains=["alpha.test"],
            metadata_xml=saml_idp.metadata_xml,
            role_mapping={"prm-finance": Role.FINANCE},
        )
    saml_idp.trust_sp(client.get(f"/sso/saml/{provider.pk}/metadata/").content)
    return provider


def test_staff_sign_in_through_the_saml_provider_and_land_on_the_dashboard(page, tenant, provider, saml_idp):
    saml_idp.sign_in_as(
        "fin-42", "fiona@alpha.test", first_name="Fiona", last_name="Reyes", groups=["prm-finance"]
    )

    page.goto("/accounts/login/")
    page.click("[data-testid=sso-find]")
    page.fill("#sso-email", "fiona@alpha.test")
    page.click("text=Continue")
    page.wait_for_url(f"**/t/{tenant.slug}/**")

    assert page.locator("h1").inner_text() == "Dashboard"
    user = get_user_model().objects.get(email="fiona@alpha.test")
    with tenant_context(tenant):
        assert Membership.objects.for_tenant(tenant).get(user=user).role == Role.FINANCE


def test_an_unsigned_assertion_shows_the_refusal_page(page, tenant, provider, saml_idp):
    saml_idp.sign_in_as("fin-42", "fiona@alpha.test", groups=["prm-finance"])
    saml_idp.mode = "unsigned"

    page.goto(f"/sso/{provider.pk}/start/")
    page.wait_for_url(f"**/sso/saml/{provider.pk}/acs/")

    assert page.locator("h1").inner_text() == "Sign-in refused"
    assert not get_user_model().objects.filter(email="fiona@alpha.test").exists()
