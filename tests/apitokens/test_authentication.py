"""A token opens the API until it ends: expired and revoked tokens get a 401 that says why, a
read-only token may read but not write, and last use is written at most once a minute."""

from datetime import timedelta

import pytest
from django.utils import timezone

from prm.apitokens import services
from prm.apitokens.models import ApiToken, RevokedBecause
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/tenants/alpha/partners/"


def test_a_token_opens_the_api_with_either_keyword(tenant, member, issue, with_token):
    user = member(tenant, Role.CHANNEL_MANAGER)
    _token, secret = issue(user)

    assert secret.startswith("prm_") and len(secret) == 44
    assert with_token(secret).get(PARTNERS).status_code == 200
    assert with_token(secret, "Bearer").get(PARTNERS).status_code == 200


def test_only_the_hash_of_the_secret_is_kept(tenant, member, issue):
    token, secret = issue(member(tenant))
    stored = ApiToken.objects.values_list("name", "prefix", "key_hash").get(pk=token.pk)
    assert secret not in "".join(stored)
    assert stored[1] == secret[:12]


def test_an_unknown_token_is_refused(tenant, with_token):
    response = with_token("prm_" + "0" * 40).get(PARTNERS)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_an_expired_token_answers_401_with_the_day_it_expired_and_is_recorded_once(
    tenant, member, issue, with_token
):
    user = member(tenant)
    token, secret = issue(user, days=3)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    first = with_token(secret).get(PARTNERS)
    again = with_token(secret).get(PARTNERS)

    assert first.status_code == again.status_code == 401
    day = (timezone.now() - timedelta(minutes=1)).strftime("%Y-%m-%d")
    assert first.json()["detail"].startswith(f"This token expired on {day}")
    token.refresh_from_db()
    assert token.revoked_reason == RevokedBecause.EXPIRED and token.state == "expired"
    with tenant_context(tenant):
        assert AuditEntry.objects.filter(action="api_token.expired", target_id=str(token.pk)).count() == 1


def test_the_hourly_sweep_ends_what_is_past_its_end_and_nothing_else(tenant, member, issue):
    user = member(tenant)
    old, _ = issue(user, name="old")
    fresh, _ = issue(user, name="fresh")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))

    assert services.expire_due() == 1
    assert services.expire_due() == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.state, fresh.state) == ("expired", "active")


def test_a_revoked_token_answers_401_saying_so(tenant, member, issue, with_token):
    user = member(tenant)
    token, secret = issue(user)
    services.revoke(token=token, actor=user)

    response = with_token(secret).get(PARTNERS)

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_read_only_token_reads_but_may_not_write(tenant, member, issue, with_token):
    user = member(tenant, Role.CHANNEL_MANAGER)
    _token, secret = issue(user, scope="read")
    client = with_token(secret)

    assert client.get(PARTNERS).status_code == 200
    refused = client.post(PARTNERS, {"name": "Nordwind Systems"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token is read-only: it may not change anything."
    assert client.delete("/api/v1/auth/tokens/1/").status_code == 403
    # the same user with a read-write token may
    _rw, rw_secret = issue(user, scope="read_write")
    assert (
        with_token(rw_secret).post(PARTNERS, {"name": "Nordwind Systems"}, format="json").status_code == 201
    )


def test_last_use_is_written_at_most_once_a_minute(
    tenant, member, issue, with_token, django_assert_num_queries
):
    user = member(tenant)
    token, secret = issue(user)
    client = with_token(secret)

    client.get(PARTNERS, REMOTE_ADDR="203.0.113.7")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and token.last_used_ip == "203.0.113.7"

    client.get(PARTNERS, REMOTE_ADDR="203.0.113.8")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_ip) == (first, "203.0.113.7")  # within the minute: no write

    assert services.record_use(token, "203.0.113.9", now=first + timedelta(seconds=30)) is False
    assert services.record_use(token, "203.0.113.9", now=first + timedelta(seconds=61)) is True
    token.refresh_from_db()
    assert token.last_used_ip == "203.0.113.9"


def test_an_inactive_user_s_token_is_refused(tenant, member, issue, with_token):
    user = member(tenant)
    _token, secret = issue(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert with_token(secret).get(PARTNERS).status_code == 401
