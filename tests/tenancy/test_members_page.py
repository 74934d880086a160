"""The members page at scale: a page of members at a time, partners chosen by name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import PartnerUser
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Invitation, Membership
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_admin_invites_a_partner_user_by_typing_the_partners_name(web, tenant, member):
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    PartnerFactory(tenant=tenant, name="Baltic Motion")
    client = web(member(tenant, Role.ADMIN))

    response = client.post(
        "/t/alpha/members/",
        {"email": "jo@nordwind.example", "role": "partner", "partner": "Nordwind Systems"},
    )

    assert response.status_code == 302
    invitation = Invitation.objects.for_tenant(tenant).get(email="jo@nordwind.example")
    assert (invitation.role, invitation.partner_id) == ("partner", nordwind.pk)
    assert not PartnerUser.objects.for_tenant(tenant).exists()  # until the person accepts


def test_a_partner_nobody_is_called_is_named_in_the_error(web, tenant, member):
    response = web(member(tenant, Role.ADMIN)).post(
        "/t/alpha/members/",
        {"email": "jo@example.com", "role": "partner", "partner": "Nowhere Ltd"},
    )
    assert response.status_code == 400
    assert "Nowhere Ltd" in response.context["form"].errors["partner"][0]


def test_the_members_page_shows_fifty_at_a_time_and_lists_no_partners(web, tenant, member, partner_user):
    admin = member(tenant, Role.ADMIN)
    for _ in range(60):
        partner_user(tenant)
    client = web(admin)

    with CaptureQueriesContext(connection) as first:
        page = client.get("/t/alpha/members/")
    with CaptureQueriesContext(connection) as second:
        client.get("/t/alpha/members/", {"page": 2})

    assert len(page.context["members"]) == 50 and page.context["page_obj"].paginator.count == 61
    # each row offers the roles; the partner is typed, so no row lists the partners
    assert page.content.decode().count("<option") <= 50 * len(Role.choices) + 20
    assert len(first) == len(second)  # the queries do not grow with the members shown


def test_the_admin_moves_a_member_to_a_partner_by_name(web, tenant, member):
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    manager = member(tenant, Role.CHANNEL_MANAGER)
    with tenant_context(tenant):
        someone = Membership.objects.get(tenant=tenant, user=manager)
    client = web(member(tenant, Role.ADMIN))

    client.post(
        f"/t/alpha/members/{someone.pk}/",
        {"role": "partner", "partner": f"Nordwind Systems · #{nordwind.pk}"},
    )

    with tenant_context(tenant):
        someone.refresh_from_db()
    assert someone.role == "partner"
    assert PartnerUser.objects.for_tenant(tenant).get(membership=someone).partner == nordwind
