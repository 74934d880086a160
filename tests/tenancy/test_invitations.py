"""Invitations reveal nothing and always take the person's own acceptance (issue #31, item 2.6).

Inviting answers the same whatever accounts exist in other tenants, and attaches no one: the
membership exists only once the person accepts the e-mailed link, with a new account or signed in
as an account whose e-mail is the invited one. A link works once, until it expires, and not after
it was resent or withdrawn.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from partners.models import PartnerUser
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.models import Invitation, Membership
from prm.tenancy.selectors import memberships_of
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
MEMBERS = "/api/v1/tenants/alpha/members/"
INVITATIONS = "/api/v1/tenants/alpha/invitations/"
PARTNER_INVITE = "/api/v1/tenants/alpha/partner-users/invite/"


@pytest.fixture
def admin(tenant, member):
    return member(tenant, Role.ADMIN, username="ada", email="ada@alpha.example")


@pytest.fixture
def outsider(other_tenant, member):
    """A member of another tenant, whom alpha's admin should learn nothing about."""
    return member(other_tenant, Role.CHANNEL_MANAGER, username="consult", email="c@beta.example")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a call with its after-commit work (the e-mail) done."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def link_in(message) -> str:
    return re.search(r"https?://\S+(/invitations/[^/\s]+/)", message.body).group(1)


def members_of(tenant):
    return set(Membership.objects.for_tenant(tenant).values_list("user__username", flat=True))


def invite(api, admin, send, **body):
    return send(api(admin).post, INVITATIONS, {"role": "finance", **body}, format="json")


# --- the two findings --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MEMBERS, INVITATIONS])
def test_inviting_another_tenants_member_reveals_nothing_and_attaches_no_one(
    api, tenant, admin, outsider, send, url
):
    # given: the same invite for an address nobody has, and for the other tenant's member's
    client = api(admin)

    # when
    unknown = send(client.post, url, {"email": "nobody@nowhere.example", "role": "finance"}, format="json")
    known = send(
        client.post,
        url,
        {"username": "consult", "email": "c@beta.example", "role": "regional_lead"},
        format="json",
    )

    # then: the same answer, shaped alike, and no membership until the person accepts
    assert (unknown.status_code, known.status_code) == (201, 201), (unknown.json(), known.json())
    assert known.json()["detail"] == "Invitation sent to c@beta.example."
    assert set(unknown.json()) == set(known.json())
    assert "taken" not in known.content.decode()
    assert [m.tenant.slug for m in memberships_of(outsider)] == ["beta"]
    assert "consult" not in members_of(tenant)
    assert [m.to for m in mail.outbox] == [["nobody@nowhere.example"], ["c@beta.example"]]


def test_inviting_a_partner_user_by_another_tenants_username_attaches_no_one(
    api, tenant, member, outsider, send
):
    # given
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems")

    # when
    response = send(
        api(member(tenant, Role.CHANNEL_MANAGER)).post,
        PARTNER_INVITE,
        {"partner": nordwind.pk, "username": "consult", "email": "c@beta.example"},
        format="json",
    )

    # then
    assert response.status_code == 201, response.json()
    assert response.json()["detail"] == "Invitation sent to c@beta.example."
    assert not PartnerUser.objects.for_tenant(tenant).exists()
    assert [m.tenant.slug for m in memberships_of(outsider)] == ["beta"]


def test_the_members_page_answers_alike_for_any_address(web, tenant, admin, outsider, send):
    # given
    client = web(admin)

    # when
    answers = [
        send(client.post, "/t/alpha/members/", {"email": email, "role": "finance"}, follow=True)
        for email in ("nobody@nowhere.example", "c@beta.example")
    ]

    # then
    pages = [a.content.decode() for a in answers]
    assert "Invitation sent to nobody@nowhere.example." in pages[0]
    assert "Invitation sent to c@beta.example." in pages[1]
    assert all("taken" not in page for page in pages)
    assert "consult" not in members_of(tenant)
    assert "c@beta.example" in pages[1]  # listed among the invitations waiting for an answer


def test_an_existing_account_joins_only_signed_in_as_itself(api, client, tenant, admin, outsider, send):
    # given: the other tenant's member is invited; someone else opens the link
    invite(api, admin, send, email="c@beta.example")
    link = link_in(mail.outbox[0])
    stranger = User.objects.create_user("stranger", "s@else.example", "Quiet-harbour-7391")
    client.force_login(stranger)

    # when: the stranger presses join, then the invited account does
    by_stranger = client.post(link, {"action": "join"})
    client.force_login(outsider)
    page = client.get(link)
    by_owner = client.post(link, {"action": "join"})

    # then
    assert by_stranger.status_code == 400
    assert "stranger" not in members_of(tenant)
    assert "Join Alpha Robotics as Finance" in page.content.decode()
    assert by_owner.status_code == 302 and by_owner["Location"] == "/t/alpha/"
    assert [m.tenant.slug for m in memberships_of(outsider)] == ["alpha", "beta"]
    assert Membership.objects.for_tenant(tenant).get(user=outsider).role == Role.FINANCE


def test_a_signed_out_visitor_cannot_join_an_existing_account(api, client, tenant, admin, outsider, send):
    # given
    invite(api, admin, send, email="c@beta.example")
    link = link_in(mail.outbox[0])

    # when: joining without signing in, or making an account with the existing username
    join = client.post(link, {"action": "join"})
    taken = client.post(
        link,
        {
            "action": "create",
            "username": "consult",
            "password1": "Quiet-harbour-7391",
            "password2": "Quiet-harbour-7391",
        },
    )

    # then
    assert join.status_code == 400 and taken.status_code == 400
    assert "consult" not in members_of(tenant)
    assert not User.objects.get(username="consult").check_password("Quiet-harbour-7391")


# --- accepting with a new account ---------------------------------------------------------------


def test_a_new_person_chooses_a_username_and_password_and_lands_in_the_tenant(
    api, client, tenant, admin, send
):
    # given
    invite(api, admin, send, email="jo@new.example", first_name="Jo", last_name="Lima")
    message = mail.outbox[0]
    link = link_in(message)

    # when
    page = client.get(link)
    accepted = client.post(
        link,
        {
            "action": "create",
            "username": "jo",
            "password1": "Quiet-harbour-7391",
            "password2": "Quiet-harbour-7391",
        },
    )

    # then
    assert "Alpha Robotics" in message.subject and "Finance" in message.body
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
    assert accepted.status_code == 302 and accepted["Location"] == "/t/alpha/"
    assert client.get("/t/alpha/").status_code == 200  # signed in as the new account
    user = User.objects.get(username="jo")
    assert (user.email, user.first_name, user.check_password("Quiet-harbour-7391")) == (
        "jo@new.example",
        "Jo",
        True,
    )
    assert Membership.objects.for_tenant(tenant).get(user=user).role == Role.FINANCE
    actions = list(AuditEntry.objects.for_tenant(tenant).order_by("pk").values_list("action", flat=True))
    assert actions == ["invitation.sent", "membership.added", "invitation.accepted"]


def test_a_weak_password_or_a_mismatch_is_refused_and_nothing_is_made(api, client, tenant, admin, send):
    invite(api, admin, send, email="jo@new.example")
    link = link_in(mail.outbox[0])

    weak = client.post(link, {"action": "create", "username": "jo", "password1": "123", "password2": "123"})
    differ = client.post(
        link,
        {
            "action": "create",
            "username": "jo",
            "password1": "Quiet-harbour-7391",
            "password2": "other-Pass-1",
        },
    )

    assert (weak.status_code, differ.status_code) == (400, 400)
    assert not User.objects.filter(username="jo").exists()


def test_a_partner_user_joins_its_partner_only_on_acceptance(api, client, tenant, member, send):
    # given
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    manager = member(tenant, Role.CHANNEL_MANAGER)
    send(
        api(manager).post,
        PARTNER_INVITE,
        {"partner": nordwind.pk, "email": "li@nordwind.example", "make_admin": True},
        format="json",
    )
    assert not PartnerUser.objects.for_tenant(tenant).exists()

    # when
    page = client.get(link_in(mail.outbox[0])).content.decode()
    client.post(
        link_in(mail.outbox[0]),
        {
            "action": "create",
            "username": "li",
            "password1": "Quiet-harbour-7391",
            "password2": "Quiet-harbour-7391",
        },
    )

    # then
    assert "Nordwind Systems" in page
    link = PartnerUser.objects.for_tenant(tenant).get(membership__user__username="li")
    assert link.partner == nordwind and link.is_partner_admin is True
    assert client.get("/t/alpha/training/").status_code == 200


# --- one use, expiry, resend, revoke, decline --------------------------------------------------


def _accept_new(client, link, username="jo"):
    return client.post(
        link,
        {
            "action": "create",
            "username": username,
            "password1": "Quiet-harbour-7391",
            "password2": "Quiet-harbour-7391",
        },
    )


def test_a_link_works_once(api, client, tenant, admin, send):
    invite(api, admin, send, email="jo@new.example")
    link = link_in(mail.outbox[0])
    _accept_new(client, link)
    client.logout()

    again = client.get(link)
    reuse = _accept_new(client, link, username="jo2")

    assert again.status_code == 410 and "This invitation was accepted already." in again.content.decode()
    assert reuse.status_code == 410 and not User.objects.filter(username="jo2").exists()


def test_an_expired_link_says_so(api, client, tenant, admin, send):
    invite(api, admin, send, email="jo@new.example")
    Invitation.objects.for_tenant(tenant).update(expires_at=timezone.now() - timedelta(minutes=1))

    page = client.get(link_in(mail.outbox[0]))
    accepted = _accept_new(client, link_in(mail.outbox[0]))

    assert page.status_code == 410 and "This invitation has expired." in page.content.decode()
    assert accepted.status_code == 410 and not User.objects.filter(username="jo").exists()


def test_an_unknown_or_malformed_link_is_404(client, tenant):
    for token in ("nonsense", f"{tenant.pk}.not-a-real-secret", "999999.x"):
        assert client.get(f"/invitations/{token}/").status_code == 404


def test_resending_voids_the_old_link_and_mails_a_new_one(api, client, tenant, admin, send):
    invite(api, admin, send, email="jo@new.example")
    invitation = Invitation.objects.for_tenant(tenant).get()

    resent = send(api(admin).post, f"{INVITATIONS}{invitation.pk}/resend/")

    old, new = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert resent.status_code == 200 and resent.json()["status"] == "pending"
    assert old != new
    assert client.get(old).status_code == 404
    assert _accept_new(client, new).status_code == 302
    assert AuditEntry.objects.for_tenant(tenant).filter(action="invitation.resent").count() == 1


def test_a_withdrawn_link_says_so_and_nobody_joins(api, client, tenant, admin, send):
    invite(api, admin, send, email="jo@new.example")
    invitation = Invitation.objects.for_tenant(tenant).get()

    revoked = api(admin).post(f"{INVITATIONS}{invitation.pk}/revoke/")
    page = client.get(link_in(mail.outbox[0]))
    accepted = _accept_new(client, link_in(mail.outbox[0]))
    again = api(admin).post(f"{INVITATIONS}{invitation.pk}/revoke/")

    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert page.status_code == 410 and "withdrawn" in page.content.decode()
    assert accepted.status_code == 410 and not User.objects.filter(username="jo").exists()
    assert again.status_code == 400
    assert AuditEntry.objects.for_tenant(tenant).filter(action="invitation.revoked").count() == 1


def test_declining_closes_the_invitation(api, client, tenant, admin, send):
    invite(api, admin, send, email="jo@new.example")
    link = link_in(mail.outbox[0])

    declined = client.post(link, {"action": "decline"})
    later = client.get(link)

    assert declined.status_code == 200 and "You declined the invitation." in declined.content.decode()
    assert later.status_code == 410 and "This invitation was declined." in later.content.decode()
    assert api(admin).get(INVITATIONS, {"status": "declined"}).json()["count"] == 1
    assert AuditEntry.objects.for_tenant(tenant).filter(action="invitation.declined").count() == 1


def test_the_members_page_resends_and_withdraws(web, tenant, admin, send):
    client = web(admin)
    send(client.post, "/t/alpha/members/", {"email": "jo@new.example", "role": "finance"})
    invitation = Invitation.objects.for_tenant(tenant).get()

    resent = send(client.post, f"/t/alpha/members/invitations/{invitation.pk}/resend/", follow=True)
    withdrawn = client.post(f"/t/alpha/members/invitations/{invitation.pk}/revoke/", follow=True)

    assert "Invitation sent again to jo@new.example" in resent.content.decode()
    assert "The invitation of jo@new.example was withdrawn." in withdrawn.content.decode()
    assert len(mail.outbox) == 2
    assert withdrawn.context["invitations"] == []


# --- the API --------------------------------------------------------------------------------------


def test_the_api_lists_invitations_by_status_and_refuses_a_password(api, tenant, admin, send):
    invite(api, admin, send, email="a@new.example")
    invite(api, admin, send, email="b@new.example")
    Invitation.objects.for_tenant(tenant).filter(email="b@new.example").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    client = api(admin)

    pending = client.get(INVITATIONS, {"status": "pending"}).json()
    expired = client.get(INVITATIONS, {"status": "expired"}).json()
    with_password = client.post(
        MEMBERS,
        {"username": "x", "email": "x@new.example", "role": "finance", "password": "Str0ng-enough-pw"},
    )

    assert [i["email"] for i in pending["results"]] == ["a@new.example"]
    assert [i["email"] for i in expired["results"]] == ["b@new.example"]
    assert pending["results"][0]["invited_by"] == "ada" and "token_hash" not in pending["results"][0]
    assert with_password.status_code == 400 and "password" in with_password.json()


def test_inviting_one_of_this_tenants_members_says_so(api, tenant, admin, member):
    member(tenant, Role.FINANCE, email="fin@alpha.example")

    response = api(admin).post(INVITATIONS, {"email": "FIN@alpha.example", "role": "finance"})

    assert response.status_code == 400
    assert response.json() == {"email": ["This person is a member already."]}


def test_invitations_are_for_admins(api, tenant, member):
    for role in (Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD, Role.FINANCE):
        client = api(member(tenant, role))
        assert client.get(INVITATIONS).status_code == 403
        assert client.post(INVITATIONS, {"email": "x@new.example", "role": "finance"}).status_code == 403
