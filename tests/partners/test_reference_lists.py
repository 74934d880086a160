"""Reference lists: values come from the tenant's lists, so cohorts and rules do not split on spelling."""

import io

import pytest
from django.core.exceptions import ValidationError

from incentives.services.rules import rule_create
from partners.lifecycle.moves import partner_create, partner_update
from partners.lifecycle.prospect_import import partners_import
from partners.models import DealRegistration, Partner, ReferenceItem, Sale
from partners.reference.lists import reference_import, reference_save
from partners.selling.deals import deal_register
from prm.imports import ImportRejected
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, ReferenceItemFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def regions(tenant):
    ReferenceItemFactory(tenant=tenant, kind="region", name="North", aliases=["Nord", "Northern"])
    ReferenceItemFactory(tenant=tenant, kind="region", name="South")


def test_a_region_in_any_case_or_another_spelling_is_stored_as_the_lists_name(tenant, regions):
    a = partner_create(tenant=tenant, actor=None, name="Nordwind", region="  nord ")
    b = partner_create(tenant=tenant, actor=None, name="Baltic", region="NORTH")

    assert {a.region, b.region} == {"North"}
    assert Partner.objects.for_tenant(tenant).filter(region="North").count() == 2  # one cohort, not three


def test_a_value_not_in_the_list_is_refused_naming_the_list(tenant, regions):
    with pytest.raises(ValidationError) as refused:
        partner_create(tenant=tenant, actor=None, name="Nordwind", region="Atlantis")
    assert refused.value.message_dict["region"] == [
        "“Atlantis” is not in the programme's list (North, South)."
    ]
    partner = PartnerFactory(tenant=tenant)
    with pytest.raises(ValidationError):
        partner_update(partner=partner, actor=None, region="Atlantis")


def test_a_kind_without_a_list_keeps_free_text(tenant, regions):
    partner = partner_create(
        tenant=tenant, actor=None, name="Nordwind", region="North", industry="Sheep farming"
    )
    assert partner.industry == "Sheep farming"


def test_sales_and_deals_take_the_products_name_so_a_spif_on_it_matches(tenant, api, member):
    ReferenceItemFactory(tenant=tenant, kind="product", name="RX-200 arm", aliases=["RX200", "rx-200"])
    partner = PartnerFactory(tenant=tenant, stage="signed")
    csv = f"external_id,partner,date,product,amount\nS1,{partner.pk},2026-07-01,rx200,100\nS2,{partner.pk},2026-07-02,Toaster,50\n"
    file = io.BytesIO(csv.encode())
    file.name = "sales.csv"

    refused = api(member(tenant, Role.ADMIN)).post(
        f"{BASE}/sales/import/", {"file": file}, format="multipart"
    )
    deal = deal_register(
        partner=partner, actor=None, customer="Contoso", expected_amount=1000, product="RX-200"
    )

    assert refused.status_code == 400
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(3, "product")]
    assert not Sale.objects.for_tenant(tenant).exists()  # all or nothing
    assert DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk).product == "RX-200 arm"


def test_partner_import_names_the_row_whose_region_is_not_listed(tenant, regions):

    file = io.BytesIO(b"name,region\nNordwind,northern\nAtlantis Ltd,Atlantis\n")
    file.name = "p.csv"
    with pytest.raises(ImportRejected) as rejected:
        partners_import(tenant=tenant, actor=None, file=file)
    assert [(e["row"], e["field"]) for e in rejected.value.errors] == [(3, "region")]


def test_importing_a_list_twice_creates_nothing_twice_and_bad_rows_write_nothing(tenant):
    good = (
        b"kind,name,aliases,price,warranty_months,service_months\n"
        b"region,North,Nord|Northern,,,\nproduct,RX-200 arm,RX200,1200.00,24,12\n"
    )
    bad = b"kind,name,price\nregion,West,\nplanet,Mars,\nproduct,Vision kit,cheap\n"

    first = reference_import(tenant=tenant, actor=None, file=io.BytesIO(good))
    again = reference_import(tenant=tenant, actor=None, file=io.BytesIO(good))

    with pytest.raises(ImportRejected) as rejected:
        reference_import(tenant=tenant, actor=None, file=io.BytesIO(bad))

    assert (first.created, again.created, again.unchanged) == (2, 0, 2)
    product = ReferenceItem.objects.for_tenant(tenant).get(kind="product")
    assert (product.price, product.warranty_months, product.service_months, product.aliases) == (
        1200,
        24,
        12,
        ["RX200"],
    )
    assert [(e["row"], e["field"]) for e in rejected.value.errors] == [(3, "kind"), (4, "price")]
    assert not ReferenceItem.objects.for_tenant(tenant).filter(name="West").exists()


def test_a_value_is_listed_once_whatever_its_case(tenant, regions):
    with pytest.raises(ValidationError, match="in this list already"):
        reference_save(tenant=tenant, actor=None, kind="region", name="north")


def test_admins_keep_the_lists_and_everyone_reads_them(api, tenant, member, partner_user):
    admin, manager = api(member(tenant, Role.ADMIN)), api(member(tenant, Role.CHANNEL_MANAGER))

    created = admin.post(
        f"{BASE}/reference-data/",
        {"kind": "industry", "name": "Logistics", "aliases": ["Transport"]},
        format="json",
    )
    refused = manager.post(f"{BASE}/reference-data/", {"kind": "industry", "name": "Retail"}, format="json")
    read = api(partner_user(tenant)).get(f"{BASE}/reference-data/?kind=industry")

    assert created.status_code == 201 and created.json()["aliases"] == ["Transport"]
    assert refused.status_code == 403
    assert [i["name"] for i in read.json()["results"]] == ["Logistics"]


def test_the_partner_form_offers_the_lists_values(web, tenant, member, regions):
    page = web(member(tenant, Role.CHANNEL_MANAGER)).get("/t/alpha/partners/new/").content.decode()
    assert '<select name="region"' in page and '<option value="North">North</option>' in page


def test_a_spif_names_its_product_as_the_list_spells_it_so_it_matches_the_sales(tenant, member, regions):

    ReferenceItemFactory(tenant=tenant, kind="product", name="RX-200 arm", aliases=["RX200"])
    editor = member(tenant, Role.CHANNEL_MANAGER)

    spif = rule_create(
        tenant=tenant,
        actor=editor,
        name="Summer push",
        kind="spif",
        regions=["nord"],
        params={"product": "rx200", "amount_per_unit": "50"},
    )

    assert (spif.params["product"], spif.regions) == ("RX-200 arm", ["North"])
    with pytest.raises(ValidationError) as refused:
        rule_create(
            tenant=tenant,
            actor=editor,
            name="Toasters",
            kind="spif",
            params={"product": "Toaster", "amount_per_unit": "5"},
        )
    assert "params.product" in refused.value.message_dict
