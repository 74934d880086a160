"""The MDF budget is kept: requests and claims are decided against it (refused with its figures when they
do not fit, two at once included), the run pays each rule's claims from that rule's budget and says what it
left unpaid, and budget, committed, claimed, paid and remaining are shown on the page and in the API."""

import re
import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives.models import MdfClaim, MdfRequest
from incentives.services.mdf import mdf_request_decide
from incentives.services.runs import payout_run_approve, payout_run_compute
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    IncentiveRuleFactory,
    MdfClaimFactory,
    MdfRequestFactory,
    PartnerFactory,
    SaleFactory,
    TierBenefitFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = "2026-Q3"
IN_Q2 = date(2026, 5, 15)  # the period before


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def base(tenant):
    return f"/api/v1/tenants/{tenant.slug}"


def signed(tenant, name="Nordwind Systems", **fields):
    return PartnerFactory(tenant=tenant, name=name, stage="signed", computed_tier="B", **fields)


def programme(tenant, name="Co-marketing", **params):
    return IncentiveRuleFactory(tenant=tenant, kind="mdf", name=name, params=params or {"budget": "1000"})


def request_for(tenant, partner, rule, amount, status="requested"):
    return MdfRequestFactory(
        tenant=tenant, partner=partner, rule=rule, period=PERIOD, amount=D(amount), status=status
    )


def claim_of(request, amount, status="submitted"):
    return MdfClaimFactory(tenant=request.tenant, request=request, amount=D(amount), status=status)


def stored(obj):
    return type(obj).objects.for_tenant(obj.tenant_id).get(pk=obj.pk)


# --- requests ---------------------------------------------------------------------------------------


def test_a_request_above_the_budget_is_refused_with_the_figures_and_nothing_changes(tenant, member, api):
    # given: a fixed budget of 1 000 for the quarter and a request of 50 000
    manager = member(tenant, Role.CHANNEL_MANAGER)
    request = request_for(tenant, signed(tenant), programme(tenant, budget="1000"), "50000")

    # when
    response = api(manager).post(
        f"{base(tenant)}/mdf-requests/{request.pk}/decide/", {"approve": True}, format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json()["amount"] == [
        "Budget 1,000.00 EUR for 2026-Q3; 0.00 committed; this request asks 50,000.00; 1,000.00 remains."
    ]
    request = stored(request)
    assert (request.status, request.decided_by_id) == ("requested", None)
    assert not AuditEntry.objects.for_tenant(tenant).filter(action="mdf.request_decided").exists()


def test_the_manager_approving_on_the_page_reads_why_not(tenant, member, web):
    # given
    request = request_for(tenant, signed(tenant), programme(tenant, budget="1000"), "50000")

    # when
    response = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"/t/{tenant.slug}/mdf/requests/{request.pk}/decide/", {"approve": "1"}
    )

    # then
    assert response.status_code == 400
    assert "this request asks 50,000.00; 1,000.00 remains." in response.content.decode()
    assert stored(request).status == "requested"


def test_requests_are_approved_while_they_fit_what_remains_and_rejecting_needs_no_room(tenant, member, api):
    # given: 1 000 for the quarter; 600 asked and approved, then 500 and 400 asked
    client = api(member(tenant, Role.CHANNEL_MANAGER))
    partner, rule = signed(tenant), programme(tenant, budget="1000")
    first, second, third = (request_for(tenant, partner, rule, amount) for amount in ("600", "500", "400"))

    def decide(request, approve=True):
        return client.post(
            f"{base(tenant)}/mdf-requests/{request.pk}/decide/", {"approve": approve}, format="json"
        )

    # when
    answers = [decide(first), decide(second), decide(third), decide(second, approve=False)]

    # then: the 500 does not fit the 400 left; the 400 does; a rejection is always possible
    assert [a.status_code for a in answers] == [200, 400, 200, 200]
    assert answers[1].json()["amount"] == [
        "Budget 1,000.00 EUR for 2026-Q3; 600.00 committed; this request asks 500.00; 400.00 remains."
    ]
    assert [stored(r).status for r in (first, second, third)] == ["approved", "rejected", "approved"]


def test_requests_under_any_version_of_the_rule_share_its_budget(tenant, member, api):
    # given: 800 approved under version 1 of the rule; the rule is edited (version 2, same key)
    partner, old = signed(tenant), programme(tenant, budget="1000")
    request_for(tenant, partner, old, "800", status="approved")
    old.is_current = False
    old.save()
    new = IncentiveRuleFactory(
        tenant=tenant, kind="mdf", name="Co-marketing", key=old.key, version=2, params={"budget": "1000"}
    )
    asked = request_for(tenant, partner, new, "300")

    # when
    response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"{base(tenant)}/mdf-requests/{asked.pk}/decide/", {"approve": True}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "800.00 committed" in response.json()["amount"][0]


def test_a_budget_the_partners_tier_gives_is_its_tiers_share_of_last_periods_revenue(tenant, member, api):
    # given: tier B's MDF share is 2%; last quarter's revenue 50 000: a budget of 1 000
    TierBenefitFactory(tenant=tenant, tier="B", kind="mdf_share", value=D("2"))
    partner, rule = signed(tenant), programme(tenant, budget_share_benefit=True)
    SaleFactory(tenant=tenant, partner=partner, amount=D("50000"), date=IN_Q2)
    too_much, fits = request_for(tenant, partner, rule, "1200"), request_for(tenant, partner, rule, "1000")
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    # when
    refused = client.post(
        f"{base(tenant)}/mdf-requests/{too_much.pk}/decide/", {"approve": True}, format="json"
    )
    approved = client.post(f"{base(tenant)}/mdf-requests/{fits.pk}/decide/", {"approve": True}, format="json")

    # then
    assert (refused.status_code, approved.status_code) == (400, 200)
    assert refused.json()["amount"][0].startswith("Budget 1,000.00 EUR for 2026-Q3;")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_cannot_together_exceed_the_budget(tenant, member):

    # given: 1 000 for the quarter and two requests of 700, approved by two managers at the same moment
    manager = member(tenant, Role.CHANNEL_MANAGER)
    partner, rule = signed(tenant), programme(tenant, budget="1000")
    requests = [request_for(tenant, partner, rule, "700") for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def approve(request):
        try:
            with tenant_context(tenant):
                barrier.wait()
                mdf_request_decide(request=request, actor=manager, approve=True)
                outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["amount"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then: one is approved, the other refused with the first one committed
    assert sorted(outcomes) == [
        "Budget 1,000.00 EUR for 2026-Q3; 700.00 committed; this request asks 700.00; 300.00 remains.",
        "approved",
    ]
    with tenant_context(tenant):
        assert sorted(stored(r).status for r in requests) == ["approved", "requested"]


# --- claims -----------------------------------------------------------------------------------------


def test_a_claim_is_approved_only_within_the_budget_as_it_is_now(tenant, member, api):
    # given: 10% of last quarter's 20 000 = 2 000, all of it approved as a request; then last quarter
    # loses 10 000 to a return, so the budget is 1 000 now
    partner, rule = signed(tenant), programme(tenant, budget_share="10")
    SaleFactory(tenant=tenant, partner=partner, amount=D("20000"), date=IN_Q2)
    request = request_for(tenant, partner, rule, "2000", status="approved")
    SaleFactory(tenant=tenant, partner=partner, amount=D("-10000"), date=IN_Q2)
    big, small = claim_of(request, "1500"), claim_of(request, "400")
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    def approve(claim):
        return client.post(f"{base(tenant)}/mdf-claims/{claim.pk}/decide/", {"approve": True}, format="json")

    # when
    first, second, third = approve(big), approve(small), approve(big)

    # then
    assert (first.status_code, second.status_code, third.status_code) == (400, 200, 400)
    assert first.json()["amount"] == [
        "Budget 1,000.00 EUR for 2026-Q3; 0.00 in approved claims; this claim asks 1,500.00; 1,000.00 remains."
    ]
    assert "400.00 in approved claims" in third.json()["amount"][0]
    assert (stored(big).status, stored(small).status) == ("submitted", "approved")


def test_the_run_pays_what_the_budget_covers_and_the_claim_shows_the_rest_unpaid(
    tenant, member, api, web, partner_user
):
    # given: two approved claims (3 000 and 4 000) and a budget of 5 000 (it shrank after they were approved)
    finance = member(tenant, Role.FINANCE)
    partner, rule = signed(tenant), programme(tenant, budget="5000")
    request = request_for(tenant, partner, rule, "7000", status="approved")
    whole, part = claim_of(request, "3000", status="approved"), claim_of(request, "4000", status="approved")

    # when: the quarter's run is computed and approved
    with tenant_context(tenant):
        payout_run_approve(run=payout_run_compute(tenant=tenant, period=PERIOD), actor=finance)
    claims = {
        c["id"]: c
        for c in api(partner_user(tenant, partner=partner))
        .get(f"{base(tenant)}/mdf-claims/")
        .json()["results"]
    }
    page = web(partner_user(tenant, partner=partner)).get(f"/t/{tenant.slug}/mdf/").content.decode()

    # then: both are paid, the second only in part, and its claim says so
    assert [
        (claims[c.pk]["status"], claims[c.pk]["paid_amount"], claims[c.pk]["unpaid_amount"])
        for c in (whole, part)
    ] == [("paid", "3000.00", "0.00"), ("paid", "2000.00", "2000.00")]
    assert "2,000.00 unpaid: the budget did not cover it" in page


def test_a_run_pays_each_mdf_rules_claims_once_from_that_rules_budget(tenant):
    # given: two MDF rules; one claim under each
    partner = signed(tenant)
    fairs, digital = programme(tenant, "Fairs", budget="1000"), programme(tenant, "Digital", budget="500")
    fair = claim_of(request_for(tenant, partner, fairs, "800", status="approved"), "800", status="approved")
    ads = claim_of(request_for(tenant, partner, digital, "300", status="approved"), "300", status="approved")

    # when
    with tenant_context(tenant):
        run = payout_run_compute(tenant=tenant, period=PERIOD)
        lines = run.lines.filter(kind="mdf").order_by("source__claim")
        paid = [(line.rule.name, line.source["claim"], line.amount) for line in lines]

    # then: each claim once, by its own rule
    assert paid == [("Fairs", fair.pk, D("800.00")), ("Digital", ads.pk, D("300.00"))]


# --- what is shown ----------------------------------------------------------------------------------


def figures(html: str) -> list[dict]:
    """The budget rows of the MDF page: each cell by its test id, without the basis under the budget."""
    rows = re.findall(r'<tr data-testid="mdf-budget">(.*?)</tr>', html, re.S)
    return [
        {
            name: re.sub(r"<br>.*", "", value, flags=re.S).strip()
            for name, value in re.findall(r'data-testid="(\w+)">(.*?)</td>', row, re.S)
        }
        for row in rows
    ]


@pytest.fixture
def spent(tenant, member):
    """Nordwind: 5 000 for the quarter, 3 000 of it approved; 1 000 claimed and paid, 500 claimed since
    (and 200 claimed but rejected). Baltic Motion: a request of its own under the same rule."""
    partner, rule = signed(tenant), programme(tenant, budget="5000")
    request = request_for(tenant, partner, rule, "3000", status="approved")
    claim_of(request, "1000", status="approved")
    with tenant_context(tenant):
        payout_run_approve(
            run=payout_run_compute(tenant=tenant, period=PERIOD), actor=member(tenant, Role.FINANCE)
        )
    claim_of(request, "500")
    claim_of(request, "200", status="rejected")
    other = signed(tenant, name="Baltic Motion")
    request_for(tenant, other, rule, "700", status="approved")
    return partner, other, rule


def test_the_mdf_page_shows_budget_committed_claimed_paid_and_remaining(tenant, member, web, spent):
    # when
    html = (
        web(member(tenant, Role.CHANNEL_MANAGER))
        .get(f"/t/{tenant.slug}/mdf/?period={PERIOD}")
        .content.decode()
    )

    # then: per partner and rule, the five figures
    assert figures(html) == [
        {
            "budget": "5,000.00 EUR",
            "committed": "700.00",
            "claimed": "0.00",
            "paid": "0.00",
            "remaining": "4,300.00",
        },
        {
            "budget": "5,000.00 EUR",
            "committed": "3,000.00",
            "claimed": "1,500.00",
            "paid": "1,000.00",
            "remaining": "2,000.00",
        },
    ]
    assert html.index("Baltic Motion") < html.index("Nordwind Systems")
    assert "fixed budget 5" in html


def test_a_partner_sees_only_its_own_budget_on_the_page_and_in_the_api(tenant, web, api, partner_user, spent):
    partner, other, rule = spent
    user = partner_user(tenant, partner=partner)

    # when
    html = web(user).get(f"/t/{tenant.slug}/mdf/?period={PERIOD}").content.decode()
    listed = api(user).get(f"{base(tenant)}/mdf-budgets/?period={PERIOD}&partner={other.pk}").json()

    # then
    assert [row["remaining"] for row in figures(html)] == ["2,000.00"]
    assert "Baltic Motion" not in html
    assert [
        (
            row["partner"],
            row["rule"],
            row["budget"],
            row["committed"],
            row["claimed"],
            row["paid"],
            row["remaining"],
        )
        for row in listed["results"]
    ] == [(partner.pk, rule.pk, "5000.00", "3000.00", "1500.00", "1000.00", "2000.00")]


def test_a_partner_sees_the_budget_of_a_rule_it_has_not_requested_under_yet(tenant, api, partner_user):
    # given: 4% of last quarter's 25 000
    partner, rule = signed(tenant), programme(tenant, budget_share="4")
    SaleFactory(tenant=tenant, partner=partner, amount=D("25000"), date=IN_Q2)

    # when
    listed = (
        api(partner_user(tenant, partner=partner)).get(f"{base(tenant)}/mdf-budgets/?period={PERIOD}").json()
    )

    # then
    assert [(row["rule_name"], row["budget"], row["remaining"]) for row in listed["results"]] == [
        (rule.name, "1000.00", "1000.00")
    ]
    assert "4%" in listed["results"][0]["basis"]


def test_staff_list_budgets_per_partner_and_rule_in_a_fixed_number_of_queries(tenant, member, api):
    # given: a share-based and a fixed rule; partners with requests under them
    share, fixed = programme(tenant, "Share", budget_share="10"), programme(tenant, "Fixed", budget="900")
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    def add_partner(n):
        partner = signed(tenant, name=f"Partner {n:02}")
        SaleFactory(tenant=tenant, partner=partner, amount=D(1000 * (n + 1)), date=IN_Q2)
        request_for(tenant, partner, share, "50", status="approved")
        request_for(tenant, partner, fixed, "20")

    def listed():
        with CaptureQueriesContext(connection) as queries:
            rows = client.get(f"{base(tenant)}/mdf-budgets/?period={PERIOD}").json()["results"]
        return rows, len(queries)

    add_partner(0)
    few, queries_for_few = listed()
    for n in range(1, 6):
        add_partner(n)
    many, queries_for_many = listed()

    # then
    assert len(few) == 2 and len(many) == 12
    assert queries_for_many == queries_for_few
    assert sorted(
        (row["partner_name"], row["rule_name"], row["budget"], row["committed"]) for row in many[-2:]
    ) == [
        ("Partner 05", "Fixed", "900.00", "0.00"),
        ("Partner 05", "Share", "600.00", "50.00"),
    ]


def test_a_budget_of_a_rule_that_does_not_pay_the_partner_is_nothing(tenant, member, api):
    # given: an MDF rule for tier A only; a tier B partner asks
    rule = IncentiveRuleFactory(
        tenant=tenant, kind="mdf", name="A only", params={"budget": "1000"}, tiers=["A"]
    )
    request = request_for(tenant, signed(tenant), rule, "100")

    # when
    response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"{base(tenant)}/mdf-requests/{request.pk}/decide/", {"approve": True}, format="json"
    )

    # then: the run would pay it nothing, so nothing is approved
    assert response.status_code == 400
    assert response.json()["amount"][0].startswith("Budget 0.00 EUR for 2026-Q3;")
    assert MdfRequest.objects.for_tenant(tenant).get(pk=request.pk).status == "requested"


def test_claims_list_says_what_was_paid(tenant, api, member):
    request = request_for(tenant, signed(tenant), programme(tenant, budget="1000"), "500", status="approved")
    claim = claim_of(request, "500", status="approved")

    row = api(member(tenant, Role.FINANCE)).get(f"{base(tenant)}/mdf-claims/{claim.pk}/").json()

    assert (row["paid_amount"], row["unpaid_amount"]) == ("0.00", "500.00")
    assert MdfClaim.objects.for_tenant(tenant).get(pk=claim.pk).paid_line_id is None
