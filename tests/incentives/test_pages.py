"""The incentive pages as people use them: MDF from request to paid claim, rates, run approval."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incentives.models import MdfClaim, MdfRequest, PayoutLine
from partners.programme.settings import programme_save
from prm.currency.models import ExchangeRate
from prm.tenancy.choices import Role
from tests.factories import (
    IncentiveRuleFactory,
    PartnerFactory,
    PaymentFactory,
    PayoutLineFactory,
    PayoutRunFactory,
    real_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_mdf_from_the_partners_request_to_the_managers_approved_claim(
    web, client, tenant, member, partner_user
):
    # given
    programme = IncentiveRuleFactory(
        tenant=tenant, kind="mdf", name="Co-marketing", params={"budget": "5000"}
    )
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    partner, manager = partner_user(tenant, partner=nordwind), member(tenant, Role.CHANNEL_MANAGER)

    # when: the partner asks, the manager approves with a note
    asked = web(partner).post(
        "/t/alpha/mdf/requests/",
        {"rule": programme.pk, "period": "2026-Q4", "plan": "Trade show stand", "amount": "3000"},
    )
    request = MdfRequest.objects.for_tenant(tenant).get()
    client.logout()
    decided = web(manager).post(f"/t/alpha/mdf/requests/{request.pk}/decide/", {"approve": "1", "note": "Go"})
    client.logout()
    partner_page = web(partner).get("/t/alpha/mdf/").content.decode()
    claimed = web(partner).post(
        "/t/alpha/mdf/claims/",
        {
            "request": request.pk,
            "amount": "2500",
            "description": "Stand at the fair",
            "proof": SimpleUploadedFile("invoice.pdf", real_pdf(), content_type="application/pdf"),
        },
    )
    claim = MdfClaim.objects.for_tenant(tenant).get()
    refused = web(partner).post(f"/t/alpha/mdf/claims/{claim.pk}/decide/", {"approve": "1"})
    client.logout()
    manager_page = web(manager).get("/t/alpha/mdf/").content.decode()
    web(manager).post(f"/t/alpha/mdf/claims/{claim.pk}/decide/", {"approve": "1"})

    # then
    assert (asked.status_code, decided.status_code, claimed.status_code) == (302, 302, 302)
    request.refresh_from_db()
    assert (request.partner, request.status, request.decision_note) == (nordwind, "approved", "Go")
    assert "mdf/claims/" in partner_page and f"mdf/requests/{request.pk}/decide/" not in partner_page
    assert refused.status_code == 403
    assert f"mdf/claims/{claim.pk}/decide/" in manager_page
    claim.refresh_from_db()
    assert (claim.status, claim.amount) == ("approved", Decimal("2500.00"))


def test_a_claim_above_what_was_approved_is_shown_again_with_the_reason(web, tenant, partner_user):
    programme = IncentiveRuleFactory(
        tenant=tenant, kind="mdf", name="Co-marketing", params={"budget": "5000"}
    )
    nordwind = PartnerFactory(tenant=tenant, stage="signed")
    request = MdfRequest.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=nordwind,
        rule=programme,
        period="2026-Q4",
        plan="Fair",
        amount=1000,
        status="approved",
    )

    response = web(partner_user(tenant, partner=nordwind)).post(
        "/t/alpha/mdf/claims/",
        {
            "request": request.pk,
            "amount": "1500",
            "description": "Fair",
            "proof": SimpleUploadedFile("invoice.pdf", real_pdf(), content_type="application/pdf"),
        },
    )

    assert response.status_code == 400
    assert response.context["claim_form"].errors
    assert not MdfClaim.objects.for_tenant(tenant).exists()


def test_where_the_programme_pays_what_remains_the_rest_of_a_claim_stays_open_and_the_partner_sees_it(
    web, client, tenant, member, partner_user
):

    programme_save(
        tenant=tenant, actor=member(tenant, Role.ADMIN), values={"mdf_over_claim": "pay_remaining"}
    )
    programme = IncentiveRuleFactory(
        tenant=tenant, kind="mdf", name="Co-marketing", params={"budget": "5000"}
    )
    nordwind = PartnerFactory(tenant=tenant, stage="signed")
    request = MdfRequest.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=nordwind,
        rule=programme,
        period="2026-Q4",
        plan="Fair",
        amount=1000,
        status="approved",
    )
    partner = web(partner_user(tenant, partner=nordwind))

    def claim(amount):
        return partner.post(
            "/t/alpha/mdf/claims/",
            {
                "request": request.pk,
                "amount": amount,
                "description": "Fair",
                "proof": SimpleUploadedFile("invoice.pdf", real_pdf(), content_type="application/pdf"),
            },
        )

    first, second = claim("600"), claim("900")
    nothing_left = claim("100")
    page = partner.get("/t/alpha/mdf/").content.decode()

    assert (first.status_code, second.status_code, nothing_left.status_code) == (302, 302, 400)
    over = MdfClaim.objects.for_tenant(tenant).get(claimed_amount__isnull=False)
    assert (over.amount, over.claimed_amount, over.balance) == (
        Decimal("400.00"),
        Decimal("900.00"),
        Decimal("500.00"),
    )
    assert 'data-testid="claim-balance"' in page and "500" in page


def test_finance_adds_a_rate_and_a_bad_one_is_shown_again(web, tenant, member):
    client = web(member(tenant, Role.FINANCE))

    added = client.post(
        "/t/alpha/exchange-rates/add/", {"currency": "usd", "date": "2026-07-01", "rate": "0.9"}
    )
    bad = client.post(
        "/t/alpha/exchange-rates/add/", {"currency": "dollars", "date": "2026-07-01", "rate": "x"}
    )

    assert added.status_code == 302 and added["Location"].endswith("/t/alpha/exchange-rates/")
    assert ExchangeRate.objects.for_tenant(tenant).get().currency == "USD"
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"currency", "rate"}


def test_a_channel_manager_may_not_add_rates(web, tenant, member):
    response = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        "/t/alpha/exchange-rates/add/", {"currency": "USD", "date": "2026-07-01", "rate": "0.9"}
    )
    assert response.status_code == 403
    assert not ExchangeRate.objects.for_tenant(tenant).exists()


def test_finance_adjusts_a_draft_run_on_its_page_and_a_colleague_approves_it(web, tenant, member):
    run = PayoutRunFactory(tenant=tenant, period="2026-Q3")
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    client = web(member(tenant, Role.FINANCE))

    missing = client.post(f"/t/alpha/payouts/{run.pk}/adjustments/", {"partner": partner.name}, follow=True)
    client.post(
        f"/t/alpha/payouts/{run.pk}/adjustments/",
        {"partner": partner.name, "amount": "150.00", "reason": "Late invoice"},
    )
    own = client.post(f"/t/alpha/payouts/{run.pk}/approve/", follow=True)
    colleague = web(member(tenant, Role.FINANCE))
    unchecked = colleague.post(f"/t/alpha/payouts/{run.pk}/approve/", follow=True)
    approved = colleague.post(
        f"/t/alpha/payouts/{run.pk}/approve/", {"acknowledge_warnings": "1"}, follow=True
    )

    assert "You adjusted this run; someone else must check and approve it." in own.content.decode()
    assert "Adjustments typed by hand" in unchecked.content.decode()  # the adjustment's own warning
    assert "Amount (negative to take back): This field is required." in missing.content.decode()
    assert "Why: This field is required." in missing.content.decode()
    line = PayoutLine.objects.for_tenant(tenant).get(run=run)
    assert (line.partner, line.amount) == (partner, Decimal("150.00"))
    run.refresh_from_db()
    assert run.status == "approved"
    assert "Approved. The run and its lines are final now." in approved.content.decode()


def test_the_run_page_totals_each_partner_of_the_run_by_name_and_pages_them(web, tenant, member):
    # given: three partners paid in the run (two lines for one), one paid only in another run
    run, other = (
        PayoutRunFactory(tenant=tenant, period="2026-Q3"),
        PayoutRunFactory(tenant=tenant, period="2026-Q2"),
    )
    zeta, alpha, mid = (
        PartnerFactory(tenant=tenant, name=n) for n in ("Zeta Arms", "Alpha Motion", "Mid Robotics")
    )
    PayoutLineFactory(tenant=tenant, run=run, partner=zeta, amount=Decimal("100.00"))
    PayoutLineFactory(tenant=tenant, run=run, partner=zeta, kind="rebate", amount=Decimal("20.50"))
    PayoutLineFactory(tenant=tenant, run=run, partner=alpha, amount=Decimal("7.25"))
    PayoutLineFactory(tenant=tenant, run=other, partner=mid, amount=Decimal("999.00"))
    client = web(member(tenant, Role.FINANCE))

    rows = client.get(f"/t/alpha/payouts/{run.pk}/").context["partner_page"].object_list
    assert [(r["name"], r["lines"], r["total"]) for r in rows] == [
        ("Alpha Motion", 1, Decimal("7.25")),
        ("Zeta Arms", 2, Decimal("120.50")),
    ]
    page = client.get(f"/t/alpha/payouts/{run.pk}/").content.decode()
    assert f'?partner={zeta.pk}">Zeta Arms</a>' in page and "Mid Robotics" not in page


def test_staff_choose_whose_payouts_to_read_by_name_not_from_a_list_of_every_partner(web, tenant, member):
    partners = [PartnerFactory(tenant=tenant, name=f"Reseller {n:03}") for n in range(30)]
    client = web(member(tenant, Role.FINANCE))

    chosen = client.get("/t/alpha/my-payouts/", {"partner": "Reseller 007"})
    unknown = client.get("/t/alpha/my-payouts/", {"partner": "Nobody GmbH"})

    html = chosen.content.decode()
    assert chosen.context["partner"] == partners[7]
    assert "Reseller 008" not in html and html.count("<option") < 10  # the language menu only
    assert unknown.context["partner"] is None and "Nobody GmbH" in unknown.content.decode()


def test_finance_sees_what_is_accrued_payable_and_paid_per_period(web, api, tenant, member):
    # given: Q3 approved (1 000.00, 400.00 of it paid); Q4 computed as a draft (250.00), not approved
    q3 = PayoutRunFactory(tenant=tenant, period="2026-Q3", status="approved", total=Decimal("1000.00"))
    PaymentFactory(tenant=tenant, run=q3, amount=Decimal("400.00"))
    PayoutRunFactory(tenant=tenant, period="2026-Q4", total=Decimal("250.00"))
    finance = member(tenant, Role.FINANCE)

    # when
    body = api(finance).get(f"/api/v1/tenants/{tenant.slug}/payout-runs/accruals/").json()
    page = web(finance).get("/t/alpha/payouts/")

    # then
    assert body["totals"] == {"accrued": "250.00", "payable": "600.00", "paid": "400.00"}
    assert [(r["period"], r["accrued"], r["payable"], r["paid"]) for r in body["runs"]] == [
        ("2026-Q4", "250.00", "0.00", "0.00"),
        ("2026-Q3", "0.00", "600.00", "400.00"),
    ]
    html = page.content.decode()
    assert "Accrued in draft runs (owed once approved, marked *): 250.00 EUR" in html
    assert "approved, not paid yet: 600.00 EUR" in html


def test_a_runs_computed_time_ends_its_sentence_with_one_full_stop_in_english(web, tenant, member):
    # given: a run computed in the afternoon

    run = PayoutRunFactory(
        tenant=tenant, period="2026-Q3", computed_at=datetime(2026, 10, 2, 16, 27, tzinfo=UTC)
    )

    # when
    page = web(member(tenant, Role.FINANCE)).get(f"/t/alpha/payouts/{run.pk}/").content.decode()

    # then: "4:27 PM." and not Django's "4:27 p.m.."
    assert "Computed 10/02/2026 4:27 PM." in page
    assert "p.m.." not in page
