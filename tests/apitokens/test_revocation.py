"""Every token of a user is revoked when its password changes (by any path) or a membership of
it ends; the reason is kept and each revocation is in the trail of the user's tenants."""

import pytest
from django.contrib.auth.hashers import make_password

from prm.apitokens.models import ApiToken, RevokedBecause
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/tenants/alpha/partners/"


def _states(user):
    return sorted(ApiToken.objects.filter(user=user).values_list("name", "revoked_reason"))


def test_changing_the_password_on_its_page_revokes_every_token(tenant, member, web, issue, with_token):
    user = member(tenant)
    issue(user, name="billing-sync")
    _token, secret = issue(user, name="bi-export", scope="read")

    response = web(user).post(
        "/accounts/password_change/",
        {
            "old_password": "secret-pass-1",
            "new_password1": "a-new-pass-2026!",
            "new_password2": "a-new-pass-2026!",
        },
    )

    assert response.status_code == 302
    assert _states(user) == [
        ("bi-export", RevokedBecause.PASSWORD_CHANGED),
        ("billing-sync", RevokedBecause.PASSWORD_CHANGED),
    ]
    refused = with_token(secret).get(PARTNERS)
    assert refused.status_code == 401 and "password" in refused.json()["detail"].lower()
    with tenant_context(tenant):
        entries = AuditEntry.objects.filter(action="api_token.revoked")
        assert entries.count() == 2
        assert {e.reason for e in entries} == {"The password changed"}


def test_set_password_and_save_revokes_too_but_a_rehash_at_sign_in_does_not(tenant, member, issue, settings):
    user = member(tenant)
    issue(user)
    # a sign-in that upgrades the stored hash (another hasher) is no password change
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    type(user).objects.filter(pk=user.pk).update(password=make_password("secret-pass-1", hasher="md5"))
    user.refresh_from_db()
    assert user.check_password("secret-pass-1")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_")  # rehashed and saved
    assert _states(user) == [("billing-sync", "")]

    user.set_password("another-pass-7")
    user.save()

    assert _states(user) == [("billing-sync", RevokedBecause.PASSWORD_CHANGED)]


def test_a_member_removed_loses_every_token_audited_in_both_tenants(tenant, other_tenant, member, web, issue):
    admin = member(tenant, Role.ADMIN)
    leaving = member(tenant, Role.FINANCE)
    MembershipFactory(user=leaving, tenant=other_tenant, role=Role.FINANCE)
    token, secret = issue(leaving)
    membership = Membership.objects.for_tenant(tenant).get(user=leaving)

    response = web(admin).post(f"/t/{tenant.slug}/members/{membership.pk}/remove/")

    assert response.status_code in (200, 302)
    assert _states(leaving) == [("billing-sync", RevokedBecause.MEMBERSHIP_ENDED)]
    for place in (tenant, other_tenant):
        with tenant_context(place):
            entry = AuditEntry.objects.get(action="api_token.revoked", target_id=str(token.pk))
            assert entry.reason == "A membership ended"


def test_a_membership_deactivated_revokes_every_token(tenant, member, issue):
    user = member(tenant)
    issue(user)
    membership = Membership.objects.for_tenant(tenant).get(user=user)
    with tenant_context(tenant):
        membership.is_active = False
        membership.save()
    assert _states(user) == [("billing-sync", RevokedBecause.MEMBERSHIP_ENDED)]


def test_a_change_of_role_leaves_the_tokens_alone(tenant, member, issue):
    user = member(tenant)
    issue(user)
    membership = Membership.objects.for_tenant(tenant).get(user=user)
    with tenant_context(tenant):
        membership.role = Role.FINANCE
        membership.save()
    assert _states(user) == [("billing-sync", "")]
