"""OIDC end to end against a real OpenID provider (oidc-provider-mock, started by the tests):
just-in-time accounts, roles from groups, access removed when the provider says so, refusals."""

import pytest

from prm.audit.models import AuditEntry
from prm.sso.models import ExternalIdentity
from prm.tenancy.access import partner_directory
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership
from tests.factories import PartnerFactory

from .conftest import make_provider

#: the provider is found before its tenant is known, on the operations connection (prm/sso/directory.py),
#: which sees committed rows only
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "operations"])


def membership(tenant, email):
    return Membership.objects.for_tenant(tenant).select_related("user").get(user__email=email)


def actions(tenant):
    return list(AuditEntry.objects.for_tenant(tenant).order_by("id").values_list("action", flat=True))


def test_first_sign_in_creates_the_user_with_the_mapped_role(tenant, oidc_provider, oidc_sign_in, client):
    response = oidc_sign_in(
        oidc_provider, "okta|ana", email="ana@alpha.example", given_name="Ana", groups=["prm-managers"]
    )
    assert response.status_code == 302
    assert response["Location"] == "/t/alpha/"
    found = membership(tenant, "ana@alpha.example")
    assert found.role == Role.CHANNEL_MANAGER and found.is_active
    assert found.user.first_name == "Ana" and not found.user.has_usable_password()
    assert ExternalIdentity.objects.for_tenant(tenant).get(subject="okta|ana").user == found.user
    assert client.session["prm_signed_in_with"] == "sso"
    assert int(client.session["_auth_user_id"]) == found.user.pk
    assert actions(tenant) == ["sso.user_created", "sso.access_granted", "sso.signed_in"]
    assert client.get("/t/alpha/").status_code == 200


def test_changed_groups_change_the_role_and_a_changed_email_keeps_the_user(
    tenant, oidc_provider, oidc_sign_in
):
    oidc_sign_in(oidc_provider, "okta|bo", email="bo@alpha.example", groups=["prm-finance"])
    user = membership(tenant, "bo@alpha.example").user
    response = oidc_sign_in(
        oidc_provider, "okta|bo", email="bo.smith@alpha.example", groups=["prm-finance", "prm-admins"]
    )
    assert response.status_code == 302
    again = membership(tenant, "bo.smith@alpha.example")
    assert again.user == user and again.role == Role.ADMIN
    assert "sso.role_changed" in actions(tenant)


def test_no_mapped_group_removes_access_and_refuses(tenant, oidc_provider, oidc_sign_in, client):
    oidc_sign_in(oidc_provider, "okta|cy", email="cy@alpha.example", groups=["prm-leads"])
    client.logout()
    response = oidc_sign_in(oidc_provider, "okta|cy", email="cy@alpha.example", groups=["canteen"])
    assert response.status_code == 403
    assert "no longer gives you access" in response.content.decode()
    assert not membership(tenant, "cy@alpha.example").is_active
    assert "_auth_user_id" not in client.session
    assert actions(tenant)[-2:] == ["sso.access_removed", "sso.refused"]


def test_a_domain_the_provider_does_not_serve_is_refused(tenant, oidc_provider, oidc_sign_in, client):
    response = oidc_sign_in(oidc_provider, "okta|eve", email="eve@elsewhere.example", groups=["prm-admins"])
    assert response.status_code == 403
    assert not Membership.objects.for_tenant(tenant).filter(user__email="eve@elsewhere.example").exists()
    assert "_auth_user_id" not in client.session


def test_another_tenants_account_with_the_same_email_is_not_attached(
    tenant, other_tenant, oidc_provider, oidc_sign_in, member, client
):
    theirs = member(other_tenant, Role.ADMIN, email="dan@alpha.example")
    response = oidc_sign_in(oidc_provider, "okta|dan", email="dan@alpha.example", groups=["prm-admins"])
    assert response.status_code == 403
    assert not Membership.objects.for_tenant(tenant).filter(user=theirs).exists()
    assert not ExternalIdentity.objects.for_tenant(tenant).exists()
    assert "_auth_user_id" not in client.session


def test_a_member_of_this_tenant_with_the_same_email_is_linked(tenant, oidc_provider, oidc_sign_in, member):
    ours = member(tenant, Role.FINANCE, email="fay@alpha.example")
    response = oidc_sign_in(oidc_provider, "okta|fay", email="fay@alpha.example", groups=["prm-managers"])
    assert response.status_code == 302
    assert membership(tenant, "fay@alpha.example").user == ours
    assert membership(tenant, "fay@alpha.example").role == Role.CHANNEL_MANAGER


def test_a_partners_provider_makes_partner_users_of_that_partner(tenant, oidc_server, oidc_sign_in):
    partner = PartnerFactory(tenant=tenant)
    provider = make_provider(
        tenant,
        oidc_server,
        name="Reseller's Entra",
        email_domains=["reseller.example"],
        partner_id=partner.pk,
        role_mapping={"sales": "partner"},
    )
    response = oidc_sign_in(provider, "entra|gil", email="gil@reseller.example", groups=["sales"])
    assert response.status_code == 302
    found = membership(tenant, "gil@reseller.example")
    assert found.role == Role.PARTNER
    assert partner_directory().partner_id_for(found) == partner.pk


def test_an_unknown_or_inactive_provider_is_404(tenant, oidc_provider, client):
    oidc_provider.is_active = False
    oidc_provider.save()
    assert client.get(f"/sso/oidc/{oidc_provider.pk}/start/").status_code == 404
    assert client.get(f"/sso/{oidc_provider.pk}/start/").status_code == 404
    assert client.get("/sso/oidc/999999/start/").status_code == 404


def test_a_callback_without_a_started_sign_in_is_refused(client, db):
    response = client.get("/sso/oidc/callback/?code=x&state=y")
    assert response.status_code == 403


def test_the_start_view_dispatches_by_protocol(tenant, oidc_provider, client):
    response = client.get(f"/sso/{oidc_provider.pk}/start/?next=/t/alpha/")
    assert response.status_code == 302
    assert response["Location"] == f"/sso/oidc/{oidc_provider.pk}/start/?next=%2Ft%2Falpha%2F"
