"""The partner's programme: its duties, the rights of its tier and the next, the way there in words."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from partners.tiering.moves import tier_override
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import Scorecard
from scorecards.pdf import render_scorecard
from tests.factories import (
    CourseFactory,
    KpiFactory,
    PartnerFactory,
    ScorecardFactory,
    ScorecardLineFactory,
    TierBenefitFactory,
)

pytestmark = pytest.mark.django_db

AXES_OF_C = {  # strong, unwilling, strong: tier C by the playbook's table
    "rule": "SLS",
    "axes": {
        "competitiveness": {"score": 72.0, "threshold": 50.0, "strong": True},
        "willingness": {"score": 40.0, "threshold": 50.0, "strong": False},
        "autonomy": {"score": 60.0, "threshold": 50.0, "strong": True},
    },
    "inputs": {
        "willingness": [{"input": "registrations", "score": 30.0, "weight": 1.0}],
        "revenue_percentile": 80.0,
    },
}


@pytest.fixture
def nordwind(tenant):
    partner = PartnerFactory(
        tenant=tenant, name="Nordwind", stage="signed", computed_tier="C", tier_axes=AXES_OF_C
    )
    KpiFactory(tenant=tenant, code="revenue", name="Revenue", source="sales", weight=Decimal("3"))
    card = ScorecardFactory(tenant=tenant, partner=partner, period="2026-Q3", score=Decimal("71.00"))
    ScorecardLineFactory(
        tenant=tenant,
        scorecard=card,
        code="revenue",
        name="Revenue",
        target=Decimal("1000"),
        actual=Decimal("900"),
        attainment=Decimal("0.9"),
        weight=Decimal("3"),
    )
    TierBenefitFactory(
        tenant=tenant, tier="C", kind="margin_points", value=Decimal("1"), description="1 margin point"
    )
    TierBenefitFactory(
        tenant=tenant, tier="A", kind="margin_points", value=Decimal("4"), description="4 margin points"
    )
    TierBenefitFactory(
        tenant=tenant,
        tier="A",
        kind="lead_priority",
        value=Decimal("5"),
        description="Leads first",
        position=1,
    )
    CourseFactory(tenant=tenant, name="Solutions selling")
    return partner


def test_a_c_partner_reads_that_raising_willingness_reaches_a_and_what_a_adds(
    api, tenant, nordwind, partner_user
):
    body = api(partner_user(tenant, partner=nordwind)).get("/api/v1/tenants/alpha/me/programme/").json()

    assert (body["tier"], body["next_tier"]) == ("C", "A")
    assert [d["code"] for d in body["duties"]] == ["revenue"]
    assert body["duties"][0]["attainment"] == "0.9000" and body["duties"][0]["weight"] == "3.00"
    assert [a["axis"] for a in body["tier_criteria"] if a["raise"]] == ["willingness"]
    assert [b["description"] for b in body["rights"]] == ["1 margin point"]
    assert [b["description"] for b in body["adds"]] == ["4 margin points", "Leads first"]
    sentence = body["sentence"]
    assert sentence.startswith("To reach A: raise willingness from 40 to 50")
    assert (
        "register more deals" in sentence and "complete the required courses: Solutions selling" in sentence
    )
    assert "Tier A adds: 4 margin points; Leads first." in sentence


def test_the_page_is_the_partners_own_and_staff_read_any(web, client, tenant, nordwind, partner_user, member):
    other = PartnerFactory(tenant=tenant, stage="signed")
    partner = web(partner_user(tenant, partner=nordwind))
    mine = partner.get("/t/alpha/my-programme/")
    not_mine = partner.get(f"/t/alpha/partners/{other.pk}/programme/")
    client.logout()
    staff = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/partners/{nordwind.pk}/programme/")

    assert mine.status_code == 200 and 'data-testid="programme-sentence"' in mine.content.decode()
    assert "4 margin points" in mine.content.decode()
    assert not_mine.status_code == 404
    assert staff.status_code == 200 and "Nordwind" in staff.content.decode()


def test_staff_get_no_programme_of_their_own(api, tenant, member):
    assert (
        api(member(tenant, Role.CHANNEL_MANAGER)).get("/api/v1/tenants/alpha/me/programme/").status_code
        == 403
    )


def test_the_scorecard_pdf_ends_with_the_programme_section(tenant, nordwind):

    card = Scorecard.objects.for_tenant(tenant).get(partner=nordwind)
    with tenant_context(tenant):
        pdf = render_scorecard(card)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "Your programme today" in text and "4 margin points" in text and "To reach A" in text


def test_a_tier_change_emails_the_partners_users_what_changed_in_their_rights(
    tenant, nordwind, partner_user, member, mailoutbox, django_capture_on_commit_callbacks
):

    user = partner_user(tenant, partner=nordwind)
    with django_capture_on_commit_callbacks(execute=True):
        tier_override(
            partner=nordwind, actor=member(tenant, Role.ADMIN), tier="A", reason="Strategic account"
        )

    assert [m.to for m in mailoutbox] == [[user.email]]
    body = mailoutbox[0].body
    assert "moved from tier C to tier A" in body
    assert "4 margin points" in body.split("What you gain:")[1]
    assert "1 margin point" in body.split("What you no longer have:")[1]
