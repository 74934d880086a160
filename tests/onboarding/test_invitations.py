"""Inviting partner users: managers for any partner, partner admins for their own partner only.

An invite makes an invitation; the person becomes the partner's user when they accept its link.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from partners.models import PartnerUser
from prm.tenancy.choices import Role
from prm.tenancy.models import Invitation, Membership
from tests.factories import PartnerFactory, PartnerUserFactory

pytestmark = pytest.mark.django_db

INVITE = "/api/v1/tenants/alpha/partner-users/invite/"
User = get_user_model()


@pytest.fixture
def nordwind(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")


@pytest.fixture
def baltic(tenant):
    return PartnerFactory(tenant=tenant, name="Baltic Motion", stage="signed")


def partner_admin(tenant, partner):
    return PartnerUserFactory(tenant=tenant, partner=partner, is_partner_admin=True).membership.user


def link_of(tenant, username):
    return (
        PartnerUser.objects.for_tenant(tenant)
        .select_related("membership")
        .get(membership__user__username=username)
    )


def link_in(body: str) -> str:
    return re.search(r"/invitations/[^/\s]+/", body).group(0)


def accept_all():
    """Every invitation mailed so far accepted by a new account named after its mailbox."""
    for message in mail.outbox:
        Client().post(
            link_in(message.body),
            {
                "action": "create",
                "username": message.to[0].split("@")[0],
                "password1": "Quiet-harbour-7391",
                "password2": "Quiet-harbour-7391",
            },
        )


@pytest.mark.parametrize("role", [Role.CHANNEL_MANAGER, Role.ADMIN])
def test_a_manager_invites_a_partner_user_for_any_partner(
    api, tenant, member, nordwind, baltic, role, django_capture_on_commit_callbacks
):
    # given
    client = api(member(tenant, role))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(INVITE, {"partner": nordwind.pk, "email": "jo@nordwind.example"})
        second = client.post(INVITE, {"partner": baltic.pk, "username": "li", "email": "li@baltic.example"})
    nobody_yet = PartnerUser.objects.for_tenant(tenant).count()
    accept_all()

    # then
    assert (first.status_code, second.status_code) == (201, 201), (first.json(), second.json())
    assert first.json()["detail"] == "Invitation sent to jo@nordwind.example."
    assert first.json()["partner"] == nordwind.pk
    assert nobody_yet == 0
    assert link_of(tenant, "jo").partner == nordwind and link_of(tenant, "li").partner == baltic
    assert link_of(tenant, "jo").membership.role == Role.PARTNER
    assert [m.to for m in mail.outbox] == [["jo@nordwind.example"], ["li@baltic.example"]]
    assert "Alpha Robotics" in mail.outbox[0].subject


def test_a_manager_invites_from_the_onboarding_page(
    web, tenant, member, nordwind, django_capture_on_commit_callbacks
):
    # given
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/t/alpha/onboarding/{nordwind.pk}/invite/",
            {"email": "jo@nordwind.example", "make_admin": "on"},
        )
    page = client.get(f"/t/alpha/onboarding/{nordwind.pk}/").content.decode()
    accept_all()

    # then
    assert response.status_code == 302
    assert "jo@nordwind.example" in page  # waiting for an answer
    link = link_of(tenant, "jo")
    assert link.partner == nordwind and link.is_partner_admin is True
    assert [m.to for m in mail.outbox] == [["jo@nordwind.example"]]


def test_a_manager_resends_and_withdraws_from_the_onboarding_page(
    web, tenant, member, nordwind, django_capture_on_commit_callbacks
):
    # given
    client = web(member(tenant, Role.CHANNEL_MANAGER))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/t/alpha/onboarding/{nordwind.pk}/invite/", {"email": "jo@nordwind.example"})
    invitation = Invitation.objects.for_tenant(tenant).get()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(f"/t/alpha/onboarding/invitations/{invitation.pk}/resend/")
    withdrawn = client.post(f"/t/alpha/onboarding/invitations/{invitation.pk}/revoke/")

    # then
    assert resent.status_code == withdrawn.status_code == 302
    assert len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert Client().get(link_in(mail.outbox[1].body)).status_code == 410


@pytest.mark.parametrize("role", [Role.FINANCE, Role.REGIONAL_LEAD])
def test_other_staff_may_not_invite_partner_users(api, tenant, member, nordwind, role):
    # when
    response = api(member(tenant, role)).post(
        INVITE, {"partner": nordwind.pk, "email": "jo@nordwind.example"}
    )

    # then
    assert response.status_code == 403
    assert not Invitation.objects.for_tenant(tenant).exists()


def test_a_partner_admin_invites_a_colleague_of_its_own_partner(
    api, tenant, nordwind, django_capture_on_commit_callbacks
):
    # given
    client = api(partner_admin(tenant, nordwind))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        implicit = client.post(INVITE, {"email": "jo@nordwind.example"})
        explicit = client.post(INVITE, {"partner": nordwind.pk, "email": "li@nordwind.example"})
    accept_all()

    # then
    assert (implicit.status_code, explicit.status_code) == (201, 201), (implicit.json(), explicit.json())
    assert link_of(tenant, "jo").partner == nordwind and link_of(tenant, "li").partner == nordwind
    assert sorted(m.to[0] for m in mail.outbox) == ["jo@nordwind.example", "li@nordwind.example"]


def test_a_partner_admin_may_not_invite_for_another_partner(api, tenant, nordwind, baltic):
    # given
    client = api(partner_admin(tenant, nordwind))

    # when
    response = client.post(INVITE, {"partner": baltic.pk, "email": "jo@baltic.example"})

    # then
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]
    assert not Invitation.objects.for_tenant(tenant).exists()


def test_a_partner_user_who_is_not_admin_may_not_invite(api, tenant, nordwind, partner_user):
    # given
    client = api(partner_user(tenant, partner=nordwind))

    # when
    response = client.post(INVITE, {"email": "jo@nordwind.example"})

    # then: the service refuses it (a 400 with the reason)
    assert response.status_code == 400
    assert response.json() == {"detail": "Only a partner admin invites colleagues."}
    assert not Invitation.objects.for_tenant(tenant).exists()


def test_a_partner_user_who_is_not_admin_sees_no_invite_form(web, tenant, nordwind, partner_user):
    # given
    admin_page = web(partner_admin(tenant, nordwind)).get("/t/alpha/training/").content.decode()
    web_client = web(partner_user(tenant, partner=nordwind))

    # when
    page = web_client.get("/t/alpha/training/").content.decode()

    # then
    assert "Invite a colleague" in admin_page
    assert "Invite a colleague" not in page


def test_the_invitation_link_lets_the_new_user_choose_a_password_and_sign_in_later(
    api, client, tenant, nordwind, django_capture_on_commit_callbacks
):
    # given: a partner admin invited a colleague, who accepted
    with django_capture_on_commit_callbacks(execute=True):
        api(partner_admin(tenant, nordwind)).post(INVITE, {"email": "jo@nordwind.example"})
    accept_all()

    # when
    logged_in = client.post("/accounts/login/", {"username": "jo", "password": "Quiet-harbour-7391"})

    # then
    assert logged_in.status_code == 302
    assert client.get("/t/alpha/training/").status_code == 200
    membership = Membership.objects.for_tenant(tenant).get(user__username="jo")
    assert membership.role == Role.PARTNER
