"""The sign-in page's company sign-in by e-mail domain, and the tenant admin's providers (API, page)."""

import pytest

from prm.audit.models import AuditEntry
from prm.sso.models import IdentityProvider
from prm.tenancy.choices import Role
from tests.factories import IdentityProviderFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "operations"])

OIDC = {
    "name": "Alpha Okta",
    "protocol": "oidc",
    "email_domains": ["Alpha.example"],
    "discovery_url": "https://idp.alpha.example/.well-known/openid-configuration",
    "client_id": "prm",
    "client_secret": "top-secret",
    "role_mapping": {"prm-admins": "admin"},
}


def test_one_provider_for_the_domain_goes_straight_to_it(tenant, client):
    provider = IdentityProviderFactory(tenant=tenant, email_domains=["alpha.example"])
    response = client.get("/sso/find/", {"email": "ana@Alpha.example"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/sso/{provider.pk}/start/?login_hint=ana%40Alpha.example")


def test_several_tenants_are_listed_by_name_and_unknown_domains_name_none(tenant, other_tenant, client):
    IdentityProviderFactory(tenant=tenant, email_domains=["shared.example"])
    IdentityProviderFactory(tenant=other_tenant, email_domains=["shared.example"])
    IdentityProviderFactory(tenant=other_tenant, email_domains=["secret.example"])
    listed = client.get("/sso/find/", {"email": "x@shared.example"}).content.decode()
    assert "Alpha Robotics" in listed and "Beta Software" in listed
    unknown = client.get("/sso/find/", {"email": "x@nowhere.example"}).content.decode()
    assert "No company sign-in" in unknown and "Beta Software" not in unknown
    assert "/sso/find/" in client.get("/accounts/login/").content.decode()


def test_the_admin_adds_a_provider_and_never_sees_the_secret_again(tenant, member, api):
    admin = api(member(tenant, Role.ADMIN))
    created = admin.post("/api/v1/tenants/alpha/identity-providers/", OIDC, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert "client_secret" not in body and body["email_domains"] == ["alpha.example"]
    assert body["urls"]["redirect_uri"].endswith("/sso/oidc/callback/")
    pk = body["id"]
    kept = admin.patch(
        f"/api/v1/tenants/alpha/identity-providers/{pk}/", {"client_secret": ""}, format="json"
    )
    assert kept.status_code == 200
    assert IdentityProvider.objects.for_tenant(tenant).get(pk=pk).client_secret == "top-secret"
    off = admin.patch(f"/api/v1/tenants/alpha/identity-providers/{pk}/", {"is_active": False}, format="json")
    assert off.json()["is_active"] is False
    actions = AuditEntry.objects.for_tenant(tenant).values_list("action", flat=True)
    assert set(actions) >= {"sso.provider_created", "sso.provider_changed"}
    assert "top-secret" not in str(
        list(AuditEntry.objects.for_tenant(tenant).values_list("changes", flat=True))
    )


def test_bad_settings_answer_400_and_one_domain_routes_to_one_provider(tenant, member, api):
    admin = api(member(tenant, Role.ADMIN))
    url = "/api/v1/tenants/alpha/identity-providers/"
    assert admin.post(url, {**OIDC, "role_mapping": {"x": "owner"}}, format="json").status_code == 400
    assert admin.post(url, {**OIDC, "client_id": ""}, format="json").status_code == 400
    assert admin.post(url, OIDC, format="json").status_code == 201
    again = admin.post(url, {**OIDC, "name": "Second"}, format="json")
    assert again.status_code == 400 and "email_domains" in again.json()


def test_only_the_admin_manages_providers(tenant, member, api, web):
    manager = member(tenant, Role.CHANNEL_MANAGER)
    assert api(manager).get("/api/v1/tenants/alpha/identity-providers/").status_code == 403
    assert web(manager).get("/t/alpha/sso/").status_code == 403


def test_the_page_adds_a_provider_and_shows_the_callback(tenant, member, web):
    client = web(member(tenant, Role.ADMIN))
    form = {
        "name": "Alpha Okta",
        "protocol": "oidc",
        "is_active": "on",
        "email_domains": "alpha.example, alpha.org",
        "discovery_url": "https://idp.alpha.example/.well-known/openid-configuration",
        "client_id": "prm",
        "client_secret": "s3",
        "scopes": "openid email profile",
        "groups_claim": "groups",
        "role_mapping": "prm-admins = admin\nprm-finance = finance",
    }
    assert client.post("/t/alpha/sso/", {**form, "role_mapping": "nonsense"}).status_code == 400
    response = client.post("/t/alpha/sso/", form, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/sso/oidc/callback/" in html and "s3" not in html
    provider = IdentityProvider.objects.for_tenant(tenant).get()
    assert provider.role_mapping == {"prm-admins": "admin", "prm-finance": "finance"}
    assert provider.email_domains == ["alpha.example", "alpha.org"]


def test_the_company_sign_in_form_may_lead_on_to_the_providers_origin(client, settings):
    # browsers apply form-action to every redirect after the form, and the last one is the provider's
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = False
    policy = client.get("/sso/find/")["Content-Security-Policy"]
    assert "form-action 'self' https:;" in policy + ";"
    assert "http:" not in policy
    assert "form-action 'self';" in client.get("/accounts/login/")["Content-Security-Policy"] + ";"
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = True
    assert "http:" in client.get("/sso/find/")["Content-Security-Policy"]
