"""The tenancy API: token auth, tenants/, me/ and members/."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.selectors import memberships_of
from tests.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_valid_credentials_and_works(api, tenant):
    # given
    user = UserFactory(username="ana")
    MembershipFactory(user=user, tenant=tenant, role=Role.FINANCE)
    # when
    response = api().post(
        "/api/v1/auth/token/", {"username": "ana", "password": "secret-pass-1"}, format="json"
    )
    # then
    assert response.status_code == 200
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/tenants/").json() == [
        {"slug": "alpha", "name": "Alpha Robotics", "role": "finance", "currency": "EUR"}
    ]


def test_wrong_password_gets_no_token(api, tenant):
    UserFactory(username="ana")
    response = api().post("/api/v1/auth/token/", {"username": "ana", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_a_locked_out_account_is_told_so_with_429_and_retry_after(api, tenant, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="ana")
    for _ in range(3):
        assert api().post("/api/v1/auth/token/", {"username": "ana", "password": "nope"}).status_code == 400

    # even the right password now gets the lockout, and says for how long
    response = api().post("/api/v1/auth/token/", {"username": "ana", "password": "secret-pass-1"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME * 3600)
    assert "locked" in response.json()["detail"]
    other = UserFactory(username="bo")  # another account from the same address is not locked
    assert (
        api()
        .post("/api/v1/auth/token/", {"username": other.username, "password": "secret-pass-1"})
        .status_code
        == 200
    )


def test_many_usernames_from_one_address_are_refused_with_429(api, tenant, settings):
    settings.PRM_SIGNIN_FAILURES_PER_ADDRESS = 5
    UserFactory(username="ana")
    spray = {"REMOTE_ADDR": "203.0.113.9"}
    for name in ("u1", "u2", "u3", "u4", "u5"):
        assert (
            api().post("/api/v1/auth/token/", {"username": name, "password": "x"}, **spray).status_code == 400
        )

    response = api().post("/api/v1/auth/token/", {"username": "ana", "password": "secret-pass-1"}, **spray)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME * 3600)
    assert "address" in response.json()["detail"]
    page = api().post("/accounts/login/", {"username": "ana", "password": "secret-pass-1"}, **spray)
    assert page.status_code == 429 and page["Retry-After"]
    assert (
        "came from your address" in page.content.decode()
        and "This account is locked" not in page.content.decode()
    )
    # another address is not refused
    ok = api().post("/api/v1/auth/token/", {"username": "ana", "password": "secret-pass-1"})
    assert ok.status_code == 200


def test_failed_sign_ins_on_the_page_count_for_the_address_too(api, client, tenant, settings):
    settings.PRM_SIGNIN_FAILURES_PER_ADDRESS = 3
    UserFactory(username="ana")
    for name in ("u1", "u2", "u3"):
        client.post("/accounts/login/", {"username": name, "password": "x"}, REMOTE_ADDR="203.0.113.10")

    response = api().post(
        "/api/v1/auth/token/", {"username": "ana", "password": "secret-pass-1"}, REMOTE_ADDR="203.0.113.10"
    )
    assert response.status_code == 429


def test_tenants_lists_only_the_callers_tenants_with_their_roles(api, tenant, other_tenant, member):
    consultant = member(tenant, Role.CHANNEL_MANAGER)
    MembershipFactory(user=consultant, tenant=other_tenant, role=Role.ADMIN)
    loner = member(other_tenant, Role.FINANCE)

    assert {(t["slug"], t["role"]) for t in api(consultant).get("/api/v1/tenants/").json()} == {
        ("alpha", "channel_manager"),
        ("beta", "admin"),
    }
    assert [t["slug"] for t in api(loner).get("/api/v1/tenants/").json()] == ["beta"]


def test_me_tells_a_partner_user_its_partner(api, tenant, partner_user):
    partner = PartnerFactory(tenant=tenant)
    user = partner_user(tenant, partner=partner)
    body = api(user).get("/api/v1/tenants/alpha/me/").json()
    assert body["role"] == "partner"
    assert body["partner"] == partner.pk
    assert body["tenant"]["slug"] == "alpha"
    assert body["user"]["username"] == user.username


def test_members_is_for_admins_only(api, tenant, member):
    for role in (Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD, Role.FINANCE):
        assert api(member(tenant, role)).get("/api/v1/tenants/alpha/members/").status_code == 403
    assert api(member(tenant, Role.ADMIN)).get("/api/v1/tenants/alpha/members/").status_code == 200


def test_admin_invites_a_member_and_it_is_audited(api, tenant, member, django_capture_on_commit_callbacks):
    admin = member(tenant, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(admin).post(
            "/api/v1/tenants/alpha/members/",
            {"username": "newbie", "email": "newbie@example.com", "role": "channel_manager"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["email"], body["role"], body["status"]) == (
        "newbie@example.com",
        "channel_manager",
        "pending",
    )
    assert body["detail"] == "Invitation sent to newbie@example.com."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newbie@example.com"]
    assert "Alpha Robotics" in message.subject
    assert "/invitations/" in message.body
    assert not get_user_model().objects.filter(username="newbie").exists()  # made when accepted
    entry = AuditEntry.objects.for_tenant(tenant).get(action="invitation.sent")
    assert entry.actor == admin and entry.changes["role"] == [None, "channel_manager"]


def test_a_password_is_refused_invited_people_choose_their_own(api, tenant, member):
    admin = member(tenant, Role.ADMIN)
    response = api(admin).post(
        "/api/v1/tenants/alpha/members/",
        {"username": "fin", "email": "fin@example.com", "role": "finance", "password": "Str0ng-enough-pw"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["password"]
    assert not get_user_model().objects.filter(username="fin").exists()


def test_partner_member_needs_a_partner_of_the_same_tenant(api, tenant, other_tenant, member):
    admin = member(tenant, Role.ADMIN)
    foreign = PartnerFactory(tenant=other_tenant)
    url = "/api/v1/tenants/alpha/members/"
    base = {"email": "p1@example.com", "role": "partner"}

    missing = api(admin).post(url, base, format="json")
    assert missing.status_code == 400 and "partner" in missing.json()
    wrong = api(admin).post(url, {**base, "partner": foreign.pk}, format="json")
    assert wrong.status_code == 400 and "partner" in wrong.json()

    own = PartnerFactory(tenant=tenant)
    created = api(admin).post(url, {**base, "partner": own.pk}, format="json")
    assert created.status_code == 201
    assert created.json()["partner"] == own.pk


def test_an_existing_username_is_never_said_to_be_taken(api, tenant, member):
    admin = member(tenant, Role.ADMIN)
    UserFactory(username="taken", email="someone@example.com")
    response = api(admin).post(
        "/api/v1/tenants/alpha/members/",
        {"username": "taken", "email": "else@example.com", "role": "finance"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["detail"] == "Invitation sent to else@example.com."


def test_a_consultant_is_not_added_to_a_second_tenant_until_accepting(api, tenant, other_tenant, member):
    consultant = member(other_tenant, Role.CHANNEL_MANAGER, username="consult", email="c@example.com")
    admin = member(tenant, Role.ADMIN)
    response = api(admin).post(
        "/api/v1/tenants/alpha/members/",
        {"username": "consult", "email": "c@example.com", "role": "regional_lead"},
        format="json",
    )
    assert response.status_code == 201
    assert [m.tenant.slug for m in memberships_of(consultant)] == ["beta"]  # until they accept


def test_members_list_query_count_does_not_grow_with_members(
    api, tenant, member, django_assert_max_num_queries
):
    admin = member(tenant, Role.ADMIN)
    for _ in range(3):
        member(tenant, Role.FINANCE)
    client = api(admin)
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/tenants/alpha/members/")
    for _ in range(30):
        member(tenant, Role.FINANCE)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/tenants/alpha/members/")
    assert response.json()["count"] == 34


def test_an_invited_address_that_is_not_one_is_refused(tenant, member, api):
    partner = PartnerFactory(tenant=tenant)
    response = api(member(tenant, Role.ADMIN)).post(
        "/api/v1/tenants/alpha/partner-users/invite/",
        {"partner": partner.pk, "email": "ana\nlima@example.com"},
        format="json",
    )

    assert response.status_code == 400 and "email" in response.json()


@pytest.mark.parametrize("body", ["0", "[]", '"x"'])
def test_a_token_request_that_is_not_an_object_is_a_400(client, body):
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
