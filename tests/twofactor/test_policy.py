"""The tenant's policy: the admin requires two-factor sign-in of every staff role; staff without it
are sent to set it up and can do nothing else in that tenant; partner users are never forced."""

import pytest

from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.twofactor import services
from prm.twofactor.policy import staff_must_use_two_factor
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant, member):
    return member(tenant, Role.ADMIN)


def test_the_admin_requires_it_on_the_page_and_it_is_audited(web, tenant, admin, member, enrolled):
    # given: one staff member has set it up, one has not
    enrolled(member(tenant, Role.FINANCE, username="fiona"))
    member(tenant, Role.CHANNEL_MANAGER, username="carl")
    client = web(admin)

    # when
    page = client.get("/t/alpha/two-factor/")
    bad = client.post("/t/alpha/two-factor/", {"required_for_staff": "maybe"})
    saved = client.post("/t/alpha/two-factor/", {"required_for_staff": "yes"})

    # then
    rows = page.content.decode().split('data-testid="staff-two-factor"')[1]
    assert "fiona</td><td>Finance</td><td>Set up" in rows
    assert "carl</td><td>Channel manager</td><td>Not set up" in rows
    assert bad.status_code == 400
    assert saved.status_code == 302
    tenant.refresh_from_db()
    assert staff_must_use_two_factor(tenant)
    with tenant_context(tenant):
        entry = AuditEntry.objects.for_tenant(tenant).get(action="twofactor.policy_changed")
    assert entry.changes == {"required_for_staff": [False, True]} and entry.actor == admin


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD, Role.FINANCE])
def test_enforced_staff_without_it_are_sent_to_set_it_up(web, tenant, admin, member, role):
    # given
    services.policy_set(tenant=tenant, actor=admin, required_for_staff=True)
    client = web(member(tenant, role))

    # when
    page = client.get("/t/alpha/")
    api = client.get("/api/v1/tenants/alpha/me/")
    profile = client.get("/accounts/profile/")

    # then
    assert page.status_code == 302 and page["Location"] == "/accounts/profile/#two-factor"
    assert api.status_code == 403 and "requires two-factor sign-in" in api.json()["detail"]
    assert profile.status_code == 200
    assert "Alpha Robotics requires two-factor sign-in of its staff" in profile.content.decode()


def test_once_set_up_the_enforced_tenant_opens(web, tenant, admin, member, enrolled, next_code):
    services.policy_set(tenant=tenant, actor=admin, required_for_staff=True)
    user = member(tenant, Role.CHANNEL_MANAGER)
    client = web(user)
    assert client.get("/t/alpha/").status_code == 302

    enrolled(user)
    client.post("/accounts/two-factor/verify/", {"code": next_code(user)})

    assert client.get("/t/alpha/").status_code == 200


def test_partner_users_are_not_forced(web, tenant, admin, partner_user):
    services.policy_set(tenant=tenant, actor=admin, required_for_staff=True)

    assert web(partner_user(tenant)).get("/t/alpha/").status_code == 200


def test_another_tenants_policy_does_not_bind_here(web, tenant, other_tenant, member):
    # given: a consultant, manager in both; only beta requires two-factor sign-in
    user = member(tenant, Role.CHANNEL_MANAGER)
    beta_admin = member(other_tenant, Role.ADMIN)
    MembershipFactory(tenant=other_tenant, user=user, role=Role.CHANNEL_MANAGER)
    services.policy_set(tenant=other_tenant, actor=beta_admin, required_for_staff=True)
    client = web(user)

    assert client.get("/t/alpha/").status_code == 200
    assert client.get("/t/beta/").status_code == 302


def test_the_api_reads_and_writes_the_policy(api, tenant, admin, member, enrolled):
    enrolled(member(tenant, Role.FINANCE, username="fiona"))
    client = api(admin)

    before = client.get("/api/v1/tenants/alpha/two-factor/").json()
    put = client.put("/api/v1/tenants/alpha/two-factor/", {"required_for_staff": True}, format="json")
    bad = client.patch("/api/v1/tenants/alpha/two-factor/", {"required_for_staff": "perhaps"}, format="json")
    manager = api(member(tenant, Role.CHANNEL_MANAGER)).get("/api/v1/tenants/alpha/two-factor/")

    assert before["required_for_staff"] is False
    assert {"username": "fiona", "role": "finance", "two_factor": True}.items() <= next(
        s for s in before["staff"] if s["username"] == "fiona"
    ).items()
    assert put.status_code == 200 and put.json()["required_for_staff"] is True
    assert bad.status_code == 400 and "required_for_staff" in bad.json()
    assert manager.status_code == 403
