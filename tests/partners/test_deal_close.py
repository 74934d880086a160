"""Deals win or lose: by hand (page and API), or by the sale booked for their customer."""

from decimal import Decimal

import pytest
from django.utils import timezone

from partners.models import DealRegistration
from partners.tiering.recompute import tiers_recompute
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import DealRegistrationFactory, PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordwind(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")


def open_deal(tenant, partner, customer="Acme Robotics", **fields):
    fields = {"status": "approved", **fields}
    return DealRegistrationFactory(
        tenant=tenant,
        partner=partner,
        customer=customer,
        customer_key=customer.casefold(),
        expected_amount=Decimal("20000"),
        **fields,
    )


def stored(deal):
    return DealRegistration.objects.for_tenant(deal.tenant_id).get(pk=deal.pk)


def test_a_manager_marks_a_deal_won_with_its_amount_through_the_api(api, tenant, member, nordwind):
    deal = open_deal(tenant, nordwind)
    manager = member(tenant, Role.CHANNEL_MANAGER)

    response = api(manager).post(
        f"/api/v1/tenants/{tenant.slug}/deals/{deal.pk}/close/",
        {"won": True, "amount": "23500.00", "note": "Signed on Friday"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["closed_amount"], body["closed_note"]) == (
        "won",
        "23500.00",
        "Signed on Friday",
    )
    entry = AuditEntry.objects.for_tenant(tenant).get(action="deal.closed")
    assert entry.actor == manager and entry.changes["status"] == ["approved", "won"]


def test_a_partner_user_cannot_close_even_its_own_deal(api, tenant, nordwind, partner_user, member):
    """Closing is the vendor's act: a partner winning its own registration would clear the other
    partner's conflict flag and feed its own win rate, tier and commission multiplier."""
    pending = open_deal(tenant, nordwind, status="pending")
    approved = open_deal(tenant, nordwind, customer="Globex")
    rival = open_deal(tenant, PartnerFactory(tenant=tenant), status="pending")
    client = api(partner_user(tenant, partner=nordwind))

    for deal in (pending, approved):
        response = client.post(
            f"/api/v1/tenants/{tenant.slug}/deals/{deal.pk}/close/",
            {"won": True, "amount": "9000.00"},
            format="json",
        )
        assert response.status_code == 403 and stored(deal).status == deal.status
    page = api(member(tenant, Role.CHANNEL_MANAGER)).get(f"/api/v1/tenants/{tenant.slug}/deals/{rival.pk}/")
    assert page.json()["conflicts"] == [pending.pk]  # the rival's conflict flag is still there


def test_a_pending_registration_cannot_be_won_or_lost_only_withdrawn(
    api, tenant, member, nordwind, partner_user
):
    deal = open_deal(tenant, nordwind, status="pending")
    url = f"/api/v1/tenants/{tenant.slug}/deals/{deal.pk}"

    closed = api(member(tenant, Role.CHANNEL_MANAGER)).post(f"{url}/close/", {"won": True}, format="json")
    assert closed.status_code == 400 and "pending" in closed.json()["status"][0]
    assert stored(deal).status == "pending"

    withdrawn = api(partner_user(tenant, partner=nordwind)).post(
        f"{url}/withdraw/", {"reason": "The customer chose to wait"}, format="json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    entry = AuditEntry.objects.for_tenant(tenant).get(action="deal.withdrawn")
    assert entry.changes["status"] == ["pending", "withdrawn"]
    again = api(partner_user(tenant, partner=nordwind)).post(f"{url}/withdraw/", {}, format="json")
    assert again.status_code == 400


def test_a_partner_user_cannot_withdraw_another_partners_registration(api, tenant, nordwind, partner_user):
    theirs = open_deal(tenant, PartnerFactory(tenant=tenant), status="pending")
    response = api(partner_user(tenant, partner=nordwind)).post(
        f"/api/v1/tenants/{tenant.slug}/deals/{theirs.pk}/withdraw/", {}, format="json"
    )
    assert response.status_code == 404 and stored(theirs).status == "pending"


def test_the_partners_deals_page_offers_withdraw_not_won_or_lost(web, tenant, nordwind, partner_user):
    deal = open_deal(tenant, nordwind, status="pending")
    client = web(partner_user(tenant, partner=nordwind))
    page = client.get(f"/t/{tenant.slug}/deals/").content.decode()
    assert 'data-testid="deal-withdraw"' in page and 'data-testid="deal-close"' not in page

    response = client.post(f"/t/{tenant.slug}/deals/{deal.pk}/withdraw/", follow=True)

    assert response.status_code == 200 and "withdrawn" in response.content.decode().lower()
    assert stored(deal).status == "withdrawn"


def test_a_closed_deal_cannot_be_closed_again(api, tenant, member, nordwind):
    deal = open_deal(tenant, nordwind, status="won")
    response = api(member(tenant, Role.ADMIN)).post(
        f"/api/v1/tenants/{tenant.slug}/deals/{deal.pk}/close/", {"won": False}, format="json"
    )
    assert response.status_code == 400 and "status" in response.json()


def test_the_deals_page_closes_a_deal(web, tenant, member, nordwind):
    deal = open_deal(tenant, nordwind)
    client = web(member(tenant, Role.CHANNEL_MANAGER))
    page = client.get(f"/t/{tenant.slug}/deals/").content.decode()
    assert 'data-testid="deal-close"' in page

    client.post(f"/t/{tenant.slug}/deals/{deal.pk}/close/", {"won": "1", "amount": ""})

    assert (stored(deal).status, stored(deal).closed_amount) == (
        "won",
        Decimal("20000.00"),
    )  # the expected amount


def test_won_deals_feed_the_win_rate_of_the_tier(tenant, nordwind, api, member):

    SaleFactory(tenant=tenant, partner=nordwind, amount=Decimal("5000"), date=timezone.localdate())
    deals = [open_deal(tenant, nordwind, customer=f"Customer {n}") for n in range(4)]
    client = api(member(tenant, Role.ADMIN))
    for deal, won in zip(deals, [True, True, True, False], strict=True):
        client.post(f"/api/v1/tenants/{tenant.slug}/deals/{deal.pk}/close/", {"won": won}, format="json")

    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)
    nordwind.refresh_from_db()
    assert nordwind.tier_axes["inputs"]["win_rate"] == 0.75  # 3 won of 4 closed


@pytest.mark.parametrize("auto_win", [True, False])
def test_a_booked_sale_wins_the_partners_open_deal_for_that_customer_if_the_tenant_wants(
    api, tenant, member, nordwind, auto_win
):
    tenant.programme_settings = {"partners": {"deals_auto_win": auto_win}}
    tenant.save(update_fields=["programme_settings"])
    mine = open_deal(tenant, nordwind, customer="Acme Robotics")
    other_customer = open_deal(tenant, nordwind, customer="Globex")
    other_partner = open_deal(tenant, PartnerFactory(tenant=tenant), customer="Acme Robotics")

    response = api(member(tenant, Role.ADMIN)).post(
        f"/api/v1/tenants/{tenant.slug}/sales/",
        {
            "external_id": "INV-1",
            "partner": nordwind.pk,
            "date": "2026-07-03",
            "product": "Arm",
            "amount": "18250.00",
            "customer": "ACME Robotics",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    expected = ("won", Decimal("18250.00")) if auto_win else ("approved", None)
    assert (stored(mine).status, stored(mine).closed_amount) == expected
    assert stored(other_customer).status == "approved" and stored(other_partner).status == "approved"


def test_staff_reject_a_partners_pending_registration_rather_than_withdraw_it(
    api, tenant, nordwind, partner_user, member
):
    user = partner_user(tenant, partner=nordwind)
    registered = api(user).post(
        f"/api/v1/tenants/{tenant.slug}/deals/",
        {"customer": "Acme Robotics", "expected_amount": "9000"},
        format="json",
    )
    theirs = registered.json()["id"]
    mine = (
        api(member(tenant, Role.CHANNEL_MANAGER))
        .post(
            f"/api/v1/tenants/{tenant.slug}/deals/",
            {"partner": nordwind.pk, "customer": "Globex", "expected_amount": "500"},
            format="json",
        )
        .json()["id"]
    )
    manager = api(member(tenant, Role.CHANNEL_MANAGER))

    refused = manager.post(f"/api/v1/tenants/{tenant.slug}/deals/{theirs}/withdraw/", {}, format="json")
    own_side = manager.post(f"/api/v1/tenants/{tenant.slug}/deals/{mine}/withdraw/", {}, format="json")

    assert refused.status_code == 400 and "reject it with a reason" in refused.json()["status"][0]
    assert DealRegistration.objects.for_tenant(tenant).get(pk=theirs).status == "pending"
    assert own_side.status_code == 200 and own_side.json()["status"] == "withdrawn"


def test_a_sale_booked_while_the_registration_waited_wins_it_when_approved(api, tenant, member, nordwind):
    tenant.programme_settings = {"partners": {"deals_auto_win": True}}
    tenant.save(update_fields=["programme_settings"])
    deal = open_deal(tenant, nordwind, customer="Acme Robotics", status="pending")

    SaleFactory(
        tenant=tenant,
        partner=nordwind,
        customer="ACME Robotics",
        amount=Decimal("18250"),
        date=timezone.localdate(),
    )
    assert stored(deal).status == "pending"  # a sale does not win a registration nobody approved

    response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"/api/v1/tenants/{tenant.slug}/deals/{deal.pk}/decide/", {"approve": True}, format="json"
    )

    assert response.status_code == 200 and response.json()["status"] == "won"
    assert (stored(deal).status, stored(deal).closed_amount) == ("won", Decimal("18250.00"))
