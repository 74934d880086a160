"""The API: auth/token/ keeps its contract and issues a named token; auth/tokens/ lists, creates (the
secret once) and revokes the caller's own tokens; what a token's request changes names the token."""

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from prm.apitokens.models import ApiToken
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/auth/tokens/"


def test_auth_token_answers_a_script_token_as_before_plus_what_it_is(
    api, tenant, member, with_token, settings
):
    user = member(tenant, Role.FINANCE, username="ana")

    response = api().post(
        "/api/v1/auth/token/", {"username": "ana", "password": "secret-pass-1"}, format="json"
    )
    form = api().post("/api/v1/auth/token/", {"username": "ana", "password": "secret-pass-1"})  # curl -d

    assert response.status_code == form.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at", "name", "scope"}
    assert (body["name"], body["scope"]) == ("script", "read_write")
    days = (parse_datetime(body["expires_at"]) - timezone.now()).days
    assert days in (settings.API_TOKEN_DAYS - 1, settings.API_TOKEN_DAYS)
    assert body["token"] != form.json()["token"]  # a new token each time, both listed
    assert ApiToken.objects.filter(user=user, name="script").count() == 2
    assert with_token(body["token"]).get("/api/v1/tenants/").json()[0]["slug"] == "alpha"


def test_wrong_credentials_still_get_400_and_no_token(api, tenant):
    UserFactory(username="ana")
    response = api().post("/api/v1/auth/token/", {"username": "ana", "password": "nope"}, format="json")
    assert response.status_code == 400 and "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_the_caller_creates_lists_and_revokes_its_own_tokens(api, tenant, member, with_token):
    user = member(tenant)
    client = api(user)

    created = client.post(
        TOKENS, {"name": "bi-export", "scope": "read", "expires_in_days": 30}, format="json"
    )

    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith(body["prefix"]) and body["state"] == "active"
    assert (body["name"], body["scope"]) == ("bi-export", "read")
    listed = client.get(TOKENS).json()["results"]
    assert [(t["name"], t["prefix"]) for t in listed] == [("bi-export", body["prefix"])]
    assert "token" not in listed[0]  # the secret is never shown again

    assert client.delete(f"{TOKENS}{body['id']}/").status_code == 204
    assert client.get(f"{TOKENS}{body['id']}/").json()["state"] == "revoked"
    assert with_token(body["token"]).get("/api/v1/tenants/").status_code == 401


def test_a_token_beyond_the_maximum_or_without_a_name_is_refused(api, tenant, member, settings):
    client = api(member(tenant))
    too_long = client.post(
        TOKENS, {"name": "x", "expires_in_days": settings.API_TOKEN_MAX_DAYS + 1}, format="json"
    )
    nameless = client.post(TOKENS, {"name": " "}, format="json")
    assert too_long.status_code == 400 and "expires_in_days" in too_long.json()
    assert nameless.status_code == 400 and "name" in nameless.json()
    assert not ApiToken.objects.exists()


def test_another_users_token_is_not_found(api, tenant, member, issue):
    theirs, _secret = issue(member(tenant), name="theirs")
    client = api(member(tenant))
    assert client.get(f"{TOKENS}{theirs.pk}/").status_code == 404
    assert client.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
    assert client.get(TOKENS).json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.is_active


def test_anonymous_callers_get_401(api):
    assert api().get(TOKENS).status_code == 401


def test_an_api_write_with_a_token_names_the_token_in_the_audit_trail(tenant, member, issue, with_token):
    manager = member(tenant, Role.CHANNEL_MANAGER)
    token, secret = issue(manager, name="crm-sync")

    response = with_token(secret).post(
        "/api/v1/tenants/alpha/partners/", {"name": "Nordwind Systems"}, format="json"
    )

    assert response.status_code == 201
    with tenant_context(tenant):
        entry = AuditEntry.objects.get(action="partner.created")
    assert entry.actor == manager
    assert entry.reason == f"Via API token 'crm-sync' ({token.prefix}…)"
    # and a session's write afterwards is not attributed to the token
    issued = AuditEntry.objects.for_tenant(tenant).get(action="api_token.issued")
    assert "API token" not in issued.reason


def test_issuing_is_audited_in_each_tenant_of_the_user(tenant, other_tenant, member, issue):
    user = member(tenant)
    MembershipFactory(user=user, tenant=other_tenant)
    token, _secret = issue(user)
    for place in (tenant, other_tenant):
        with tenant_context(place):
            assert AuditEntry.objects.filter(action="api_token.issued", target_id=str(token.pk)).count() == 1


def test_the_openapi_document_lists_the_token_endpoints(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/auth/tokens/"])
    assert "delete" in paths["/api/v1/auth/tokens/{id}/"]
    answer = paths["/api/v1/auth/token/"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["$ref"].endswith("/ScriptToken")
