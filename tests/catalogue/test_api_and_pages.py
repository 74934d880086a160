"""The catalogue as people and clients reach it: the API walk of a redemption, the pages of both
sides, the picture, the fulfilment CSV and the webhook events."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prm.tenancy.choices import Role
from prm.webhooks.models import Event
from rewards.catalogue.models import Redemption, RewardItem
from tests.factories import (
    EndpointFactory,
    PartnerFactory,
    PointsEntryFactory,
    RewardItemFactory,
    RewardPreferenceFactory,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def nordwind(tenant):
    partner = PartnerFactory(tenant=tenant, name="Nordwind", computed_tier="B")
    PointsEntryFactory(tenant=tenant, partner=partner, points=65)
    return partner


def test_a_redemption_walks_from_the_partner_through_the_manager_in_the_api(
    api, tenant, member, nordwind, partner_user
):
    # given: a manager's catalogue and a partner user with 65 points
    EndpointFactory(tenant=tenant, events=["*"])
    manager, other = api(member(tenant, Role.CHANNEL_MANAGER)), api(member(tenant, Role.CHANNEL_MANAGER))
    buyer = api(partner_user(tenant, partner=nordwind))
    stranger = api(partner_user(tenant, partner=PartnerFactory(tenant=tenant)))
    created = manager.post(
        f"{BASE}/rewards/",
        {"name": "Headphones", "kind": "gift", "points": 60, "stock": 2, "description": {"en": "Wireless"}},
        format="json",
    )
    item = created.json()["id"]

    # when
    balance = buyer.get(f"{BASE}/rewards/balance/").json()
    redeemed = buyer.post(f"{BASE}/redemptions/", {"item": item, "note": "Berlin office"}, format="json")
    redemption = redeemed.json()["id"]
    broke = buyer.post(f"{BASE}/redemptions/", {"item": item}, format="json")
    hidden = stranger.get(f"{BASE}/redemptions/{redemption}/")
    partner_approving = buyer.post(f"{BASE}/redemptions/{redemption}/approve/")
    approved = manager.post(f"{BASE}/redemptions/{redemption}/approve/", {"note": "ok"}, format="json")
    ordered = other.post(f"{BASE}/redemptions/{redemption}/fulfil/", {"status": "ordered"}, format="json")
    skipping = other.post(f"{BASE}/redemptions/{redemption}/fulfil/", {"status": "delivered"}, format="json")
    late_cancel = buyer.post(f"{BASE}/redemptions/{redemption}/cancel/")
    after = buyer.get(f"{BASE}/rewards/balance/").json()

    # then
    assert created.status_code == 201 and created.json()["description_text"] == "Wireless"
    assert (balance["balance"], balance["expiry_months"]) == (65, 0)
    assert redeemed.status_code == 201 and redeemed.json()["status"] == "requested"
    assert broke.status_code == 400 and broke.json()["points"] == ["Nordwind holds 5 points; this needs 60."]
    assert hidden.status_code == 404 and partner_approving.status_code == 403
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert ordered.json()["status"] == "ordered" and skipping.status_code == 400
    assert late_cancel.status_code == 400 and after["balance"] == 5
    names = list(Event.objects.for_tenant(tenant).order_by("pk").values_list("name", flat=True))
    assert names == ["redemption.requested", "redemption.approved", "redemption.fulfilled"]


def test_a_partner_sees_what_it_may_redeem_for_its_preferences_first(
    api, tenant, member, nordwind, partner_user
):
    RewardPreferenceFactory(tenant=tenant, partner=nordwind, kinds=["training"])
    RewardItemFactory(tenant=tenant, name="Mug", points=10)
    RewardItemFactory(
        tenant=tenant, name="Course seat", points=40, kind="training_seat", for_preferences=["training"]
    )
    RewardItemFactory(
        tenant=tenant, name="Ad kit", points=5, for_preferences=["marketing"], preferences_only=True
    )
    RewardItemFactory(tenant=tenant, name="A only", points=5, tiers=["A"])
    RewardItemFactory(tenant=tenant, name="Retired", points=5, active=False)

    mine = api(partner_user(tenant, partner=nordwind)).get(f"{BASE}/rewards/").json()["results"]
    everything = api(member(tenant, Role.CHANNEL_MANAGER)).get(f"{BASE}/rewards/").json()["count"]

    assert [(r["name"], r["for_you"]) for r in mine] == [("Course seat", True), ("Mug", False)]
    assert everything == 5


def test_a_refused_redemption_shows_the_points_back_on_the_rewards_page(
    web, tenant, member, nordwind, partner_user
):
    # given
    buyer = partner_user(tenant, partner=nordwind)
    manager = member(tenant, Role.CHANNEL_MANAGER)
    item = RewardItemFactory(tenant=tenant, name="Charity: clean water", kind="donation", points=50)
    client = web(buyer)

    # when: the partner redeems on its page, the manager refuses from the queue
    page = client.get(f"/t/{tenant.slug}/rewards/")
    redeemed = client.post(f"/t/{tenant.slug}/rewards/", {"item": item.pk, "quantity": 1, "note": "WaterAid"})
    too_many = client.post(f"/t/{tenant.slug}/rewards/", {"item": item.pk, "quantity": 2})
    redemption = Redemption.objects.for_tenant(tenant).get(partner=nordwind)
    client = web(manager)
    queue = client.get(f"/t/{tenant.slug}/rewards/redemptions/")
    no_reason = client.post(f"/t/{tenant.slug}/rewards/redemptions/{redemption.pk}/refuse/")
    refused = client.post(f"/t/{tenant.slug}/rewards/redemptions/{redemption.pk}/refuse/", {"note": "Paused"})
    client = web(buyer)
    after = client.get(f"/t/{tenant.slug}/rewards/").content.decode()

    # then
    assert page.status_code == 200 and "Charity: clean water" in page.content.decode()
    assert redeemed.status_code == 302
    assert (
        too_many.status_code == 400
        and "Nordwind holds 15 points; this needs 100." in too_many.content.decode()
    )
    assert "WaterAid" in queue.content.decode() or "Charity: clean water" in queue.content.decode()
    assert no_reason.status_code == 400 and refused.status_code == 302
    assert "Points to spend: 65" in after
    assert f"Returned: redemption #{redemption.pk} refused" in after


def test_managers_keep_the_catalogue_with_a_picture_served_only_in_scope(
    web, api, tenant, other_tenant, member, nordwind, partner_user
):
    client = web(member(tenant, Role.CHANNEL_MANAGER))
    added = client.post(
        f"/t/{tenant.slug}/rewards/catalogue/",
        {
            "name": "City trip",
            "kind": "travel",
            "points": 500,
            "stock": "",
            "active": "on",
            "description_en": "Two nights",
            "description_fr": "Deux nuits",
            "picture": SimpleUploadedFile("trip.png", png(), content_type="image/png"),
        },
    )
    bad = client.post(f"/t/{tenant.slug}/rewards/catalogue/", {"name": "X", "kind": "gift", "points": 0})
    item = RewardItem.objects.for_tenant(tenant).get(name="City trip")
    partner_picture = web(partner_user(tenant, partner=nordwind)).get(
        f"/t/{tenant.slug}/rewards/catalogue/{item.pk}/picture/"
    )
    foreign = api(member(other_tenant, Role.ADMIN)).get(
        f"/api/v1/tenants/{other_tenant.slug}/rewards/{item.pk}/picture/"
    )

    assert added.status_code == 302 and bad.status_code == 400
    assert item.description == {"en": "Two nights", "fr": "Deux nuits"} and item.stock is None
    assert partner_picture.status_code == 200 and b"".join(partner_picture.streaming_content).startswith(
        b"\x89PNG"
    )
    assert foreign.status_code == 404


def test_the_fulfilment_csv_lists_what_to_send_with_iso_dates(api, tenant, member, nordwind, partner_user):
    manager, colleague = api(member(tenant, Role.CHANNEL_MANAGER)), api(member(tenant, Role.ADMIN))
    item = RewardItemFactory(tenant=tenant, name="Backpack", points=30)
    redemption = api(partner_user(tenant, partner=nordwind)).post(
        f"{BASE}/redemptions/", {"item": item.pk, "note": "Hamburg"}, format="json"
    )
    colleague.post(f"{BASE}/redemptions/{redemption.json()['id']}/approve/")

    response = manager.get(f"{BASE}/redemptions/export/")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv") and response["X-Data-Formats"]
    assert [(r["partner"], r["item"], r["points"], r["status"], r["delivery_details"]) for r in rows] == [
        ("Nordwind", "Backpack", "30", "approved", "Hamburg")
    ]
    assert rows[0]["requested_at"][:4].isdigit() and rows[0]["requested_at"][4] == "-"
    assert api(partner_user(tenant, partner=nordwind)).get(f"{BASE}/redemptions/export/").status_code == 403
    assert not mail.outbox
