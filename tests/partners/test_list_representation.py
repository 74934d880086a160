"""The partner and sale lists build their rows by hand (``PartnerListSerializer``,
``PartnerForPartnerListSerializer``, ``SaleListSerializer``): each row must be what the detail
answers for the same object, field for field and in the same order, for staff and partner users,
in any language and time zone, so the fast path cannot drift from the serializers it stands for.
A partner row then adds ``url``, the address of that detail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from partners import selectors
from partners.api.serializers.partners import (
    ContactSerializer,
    PartnerForPartnerListSerializer,
    PartnerForPartnerSerializer,
    PartnerListSerializer,
    PartnerSerializer,
)
from partners.api.serializers.sales import SaleListSerializer, SaleSerializer
from partners.models import Partner, Sale
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import ContactFactory, PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"
AXES = {
    "rule": "SLW",
    "axes": {
        "competitiveness": {
            "score": 72.5,
            "threshold": 50.0,
            "strong": True,
            "measured": 80.0,
            "assessed": 60.0,
        },
        "willingness": {
            "score": None,
            "threshold": 50.0,
            "strong": False,
            "measured": None,
            "assessed": None,
        },
        "autonomy": {"score": 20.0, "threshold": 50.0, "strong": False, "measured": 20.0, "assessed": None},
    },
    "inputs": {"revenue": 125000.0, "win_rate": 0.5},
}


@pytest.fixture
def partners(tenant, member):
    """Partners in every state a row shows: a rich one (owner, override, axes, health reasons, one
    known and one unknown, two contacts, dates), a plain one (nothing computed, no contact) and one
    explained on two axes only."""
    now = timezone.now()
    rich = PartnerFactory(
        tenant=tenant,
        name="Nordwind",
        owner=member(tenant, Role.CHANNEL_MANAGER),
        website="https://nordwind.example",
        lines_carried="Competitor X",
        source="referral",
        referrer="Ana",
        referral_level="friendship",
        operating_model="project",
        on_target_list=True,
        stage="selection",
        stage_due_at=now - timedelta(days=2),
        computed_tier="C",
        tier_override="A",
        tier_override_reason="Strategic account",
        tier_axes=AXES,
        tier_computed_at=now,
        health="at_risk",
        health_reasons=[{"code": "quiet", "params": {"days": 90}}, {"code": "gone_signal", "params": {}}],
        health_computed_at=now,
        lead_approved_at=now - timedelta(hours=5),
    )
    ContactFactory(tenant=tenant, partner=rich, name="Jo", role="CEO", phone="+49 1", is_primary=True)
    ContactFactory(tenant=tenant, partner=rich, name="Al")
    plain = PartnerFactory(tenant=tenant, name="Plain", stage_due_at=None)
    two_axes = {**AXES, "axes": {k: v for k, v in AXES["axes"].items() if k != "autonomy"}}
    partial = PartnerFactory(
        tenant=tenant,
        name="Partial",
        computed_tier="B",
        tier_axes=two_axes,
        tier_computed_at=now,
        inactive_reason="Price war",
        stage="dormant",
    )
    return [rich, plain, partial]


def _rendered(data) -> bytes:
    """What the API sends: the renderer writes the datetimes a representation may keep as objects."""
    return JSONRenderer().render(data)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_partner_list_rows_are_the_details(api, tenant, member, partners, language):
    client = api(member(tenant, Role.ADMIN))
    listed = client.get(f"{BASE}/partners/", HTTP_ACCEPT_LANGUAGE=language)
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [r["name"] for r in rows] == sorted(p.name for p in Partner.objects.for_tenant(tenant))
    for row in rows:
        url = row.pop("url")
        assert url == f"http://testserver{BASE}/partners/{row['id']}/"
        detail = client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()
        assert list(row) == list(detail) and row == detail
    rich = next(r for r in rows if r["name"] == "Nordwind")  # the case the others do not cover
    assert rich["health"]["reasons"][0]["message"] and len(rich["contacts"]) == 2
    assert rich["tier_explanation"]["sentence"].endswith("→ C")


def test_partner_user_list_row_is_its_detail(api, tenant, partner_user, partners):
    client = api(partner_user(tenant, partner=partners[0]))
    rows = client.get(f"{BASE}/partners/").json()["results"]
    assert [r["id"] for r in rows] == [partners[0].pk]
    detail = client.get(rows[0].pop("url")).json()
    assert list(rows[0]) == list(detail) and rows[0] == detail
    assert "health" not in rows[0] and "lines_carried" not in rows[0]


@pytest.mark.parametrize(
    ("staff", "full"),
    [
        (PartnerListSerializer, PartnerSerializer),
        (PartnerForPartnerListSerializer, PartnerForPartnerSerializer),
    ],
)
def test_list_serializers_render_what_the_detail_serializers_do_in_any_zone(tenant, partners, staff, full):
    with tenant_context(tenant):
        page = list(Partner.objects.order_by("name"))
        contacts = selectors.contacts_by_partner(page, ContactSerializer.Meta.fields)
        detailed = list(Partner.objects.order_by("name").prefetch_related("contacts"))
        with timezone.override("America/Sao_Paulo"), translation.override("pt-br"):
            fast = staff(page, many=True, context={"contacts": contacts, "tenant": tenant}).data
            slow = full(detailed, many=True, context={}).data
    assert [row.pop("url") for row in fast] == [f"{BASE}/partners/{p.pk}/" for p in page]
    assert _rendered(fast) == _rendered(slow)
    assert "-03:00" in _rendered(fast).decode()  # the zone was applied, not UTC kept


def test_sale_list_rows_are_the_details(api, tenant, member, partner_user):
    mine, other = PartnerFactory(tenant=tenant), PartnerFactory(tenant=tenant)
    SaleFactory(
        tenant=tenant,
        partner=mine,
        quantity=Decimal("2.50"),
        amount=Decimal("-1250.5"),
        customer="ACME Robotics, S.A.",
        self_sourced=False,
        currency="USD",
    )
    SaleFactory(tenant=tenant, partner=other, date=timezone.localdate() - timedelta(days=3), customer="")
    for user, expected in [(member(tenant, Role.FINANCE), 2), (partner_user(tenant, partner=mine), 1)]:
        client = api(user)
        rows = client.get(f"{BASE}/sales/").json()["results"]
        assert len(rows) == expected
        for row in rows:
            detail = client.get(f"{BASE}/sales/{row['id']}/").json()
            assert list(row) == list(detail) and row == detail
    assert rows[0]["amount"] == "-1250.50" and rows[0]["quantity"] == "2.50"


def test_the_sale_list_serializer_renders_what_the_sale_serializer_does_in_any_zone(tenant):
    partner = PartnerFactory(tenant=tenant)
    SaleFactory(tenant=tenant, partner=partner, quantity=Decimal("0.25"), amount=Decimal("99999999.99"))
    SaleFactory(tenant=tenant, partner=partner, amount=Decimal("-3"), customer="Globex")
    with tenant_context(tenant):
        sales = list(Sale.objects.select_related(None))
        with timezone.override("Asia/Kolkata"):
            fast, slow = SaleListSerializer(sales, many=True).data, SaleSerializer(sales, many=True).data
    assert _rendered(fast) == _rendered(slow) and "+05:30" in _rendered(fast).decode()


def test_sale_list_query_count_does_not_grow_with_the_page(
    api, tenant, member, django_assert_max_num_queries
):
    client = api(member(tenant, Role.CHANNEL_MANAGER))
    partner = PartnerFactory(tenant=tenant)
    SaleFactory.create_batch(3, tenant=tenant, partner=partner)
    with django_assert_max_num_queries(10) as few:
        client.get(f"{BASE}/sales/")
    SaleFactory.create_batch(40, tenant=tenant, partner=PartnerFactory(tenant=tenant))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/sales/").json()["results"]) == 43
