"""The profile page lists the user's tokens, creates one (its secret shown once) and revokes one."""

import pytest

from prm.apitokens.models import ApiToken
from prm.tenancy.choices import Role

pytestmark = pytest.mark.django_db


def test_the_profile_lists_the_tokens_with_their_state(tenant, member, web, issue):
    user = member(tenant, Role.FINANCE)
    live, _ = issue(user, name="billing-sync")
    ended, _ = issue(user, name="old-export")
    ended.revoked_at = ended.created_at
    ended.revoked_reason = "owner"
    ended.save()
    issue(member(tenant), name="someone-elses")

    page = web(user).get("/accounts/profile/").content.decode()

    assert "billing-sync" in page and f"{live.prefix}…" in page and "old-export" in page
    assert "Revoked by its owner" in page
    assert "someone-elses" not in page
    assert page.count('action="/accounts/api-tokens/') == 2  # create, and revoke for the live one only


def test_creating_shows_the_secret_once(tenant, member, web):
    user = member(tenant)
    client = web(user)

    response = client.post(
        "/accounts/api-tokens/", {"name": "bi-export", "scope": "read", "expires_in_days": 30}
    )

    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    page = response.content.decode()
    secret = page.split('data-testid="new-token-secret"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert secret.startswith(token.prefix) and len(secret) == 44
    assert (token.name, token.scope) == ("bi-export", "read")
    assert secret not in client.get("/accounts/profile/").content.decode()


def test_an_invalid_form_answers_400_with_its_errors(tenant, member, web, settings):
    response = web(member(tenant)).post(
        "/accounts/api-tokens/",
        {"name": "", "scope": "read", "expires_in_days": settings.API_TOKEN_MAX_DAYS + 1},
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="error"') == 2
    assert not ApiToken.objects.exists()


def test_revoking_ends_the_token_and_another_users_is_not_found(tenant, member, web, issue):
    user = member(tenant)
    mine, _ = issue(user)
    theirs, _ = issue(member(tenant))
    client = web(user)

    assert client.post(f"/accounts/api-tokens/{theirs.pk}/revoke/").status_code == 404
    response = client.post(f"/accounts/api-tokens/{mine.pk}/revoke/", follow=True)

    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.state, theirs.state) == ("revoked", "active")


def test_the_token_actions_want_a_signed_in_user(client):
    assert client.post("/accounts/api-tokens/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
