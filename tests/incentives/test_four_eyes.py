"""Four eyes over every cent: whoever added an adjustment to a run, or wrote a rule version it pays that no
approved run has paid yet, cannot approve it (admins included); a colleague's later change clears nobody."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from incentives import run_warnings
from incentives.services import rules
from incentives.services.runs import payout_run_acknowledge
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context

from .test_runs import IN_Q4, adjust, approve, commission, compute, sell, signed, stored

pytestmark = pytest.mark.django_db


def test_a_finance_user_cannot_approve_its_own_adjustment_through_the_api(api, tenant, member):
    # given: a draft run paying 50.00, and finance adding 999 999.99 to it
    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    run = compute(tenant)
    finance = member(tenant, Role.FINANCE)
    client = api(finance)
    base = f"/api/v1/tenants/{tenant.slug}/payout-runs/{run.pk}"
    added = client.post(
        f"{base}/adjustments/",
        {"partner": partner.pk, "amount": "999999.99", "reason": "Bonus"},
        format="json",
    )
    assert added.status_code == 201, added.json()

    # when: the same user approves, acknowledging every warning
    refused = client.post(f"{base}/approve/", {"acknowledge_warnings": True}, format="json")

    # then: refused with the reason, the run unchanged; a colleague may approve it
    assert refused.status_code == 400 and "adjusted this run" in refused.json()["detail"]
    assert stored(run).status == "draft"
    colleague = api(member(tenant, Role.FINANCE)).post(
        f"{base}/approve/", {"acknowledge_warnings": True}, format="json"
    )
    assert colleague.status_code == 200, colleague.json()
    assert stored(run).total == D("1000049.99")


def test_an_admin_who_adjusted_a_run_cannot_approve_it_either(tenant, member):
    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    run = compute(tenant)
    admin = member(tenant, Role.ADMIN)
    adjust(run, admin, partner, "10")

    with pytest.raises(ValidationError) as caught:
        approve(run, admin, acknowledge_warnings=True)

    assert "adjusted this run" in str(caught.value) and stored(run).status == "draft"


def test_a_colleagues_later_adjustment_does_not_clear_the_first_adjuster(tenant, member):
    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    run = compute(tenant)
    first, second = member(tenant, Role.FINANCE), member(tenant, Role.FINANCE)
    adjust(run, first, partner, "100")
    adjust(run, second, partner, "-100", reason="Took it back")

    for person in (first, second):
        with pytest.raises(ValidationError):
            approve(run, person, acknowledge_warnings=True)
    approve(run, member(tenant, Role.FINANCE), acknowledge_warnings=True)
    assert stored(run).status == "approved"


def test_every_editor_of_a_rule_version_not_yet_approved_is_kept_out(tenant, member):
    # given: A wrote version 2 of the rule, B version 3; the run pays version 3 (carrying A's change)
    rule = commission(tenant, "5")
    sell(signed(tenant), "1000")
    a, b = member(tenant, Role.ADMIN), member(tenant, Role.FINANCE)
    with tenant_context(tenant):
        v2 = rules.rule_edit(rule=rule, actor=a, params={"rate": "9"})
        rules.rule_edit(rule=v2, actor=b, params={"rate": "6"})
    run = compute(tenant)

    # then: neither A nor B approves it; a third person does
    for person in (a, b):
        with pytest.raises(ValidationError) as caught:
            approve(run, person)
        assert "edited a rule" in str(caught.value)
    approve(run, member(tenant, Role.FINANCE))
    assert stored(run).status == "approved"


def test_a_version_an_approved_run_already_paid_does_not_keep_its_editor_out_forever(tenant, member):
    # given: A wrote the rule; a colleague approved the run that paid it
    a = member(tenant, Role.FINANCE)
    with tenant_context(tenant):
        rules.rule_create(tenant=tenant, actor=a, name="Base", kind="commission", params={"rate": "5"})
    sell(signed(tenant), "1000")
    approve(compute(tenant), member(tenant, Role.FINANCE))

    # when: the next quarter pays the same, already checked version
    sell(signed(tenant), "500", day=IN_Q4)
    nxt = compute(tenant, period="2026-Q4")

    # then: A may approve it
    approve(nxt, a)
    assert stored(nxt).status == "approved"


def test_an_adjustment_raises_its_own_warning_that_someone_else_acknowledges(api, tenant, member):
    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    run = compute(tenant)
    adjuster, colleague = member(tenant, Role.FINANCE), member(tenant, Role.FINANCE)
    base = f"/api/v1/tenants/{tenant.slug}/payout-runs/{run.pk}"
    api(adjuster).post(
        f"{base}/adjustments/",
        {"partner": partner.pk, "amount": "250.00", "reason": "Late invoice"},
        format="json",
    )

    shown = api(colleague).get(f"{base}/").json()
    own = api(adjuster).post(f"{base}/acknowledge/", {"code": "manual_adjustment"}, format="json")
    unacknowledged = api(colleague).post(f"{base}/approve/", {}, format="json")
    other = api(colleague).post(f"{base}/acknowledge/", {"code": "manual_adjustment"}, format="json")

    group = next(g for g in shown["warning_groups"] if g["code"] == "manual_adjustment")
    assert group["count"] == 1 and "250.00" in group["sample"][0] and "Late invoice" in group["sample"][0]
    assert own.status_code == 400 and "someone else" in own.json()["code"][0]
    assert unacknowledged.status_code == 400 and stored(run).status == "draft"
    assert other.status_code == 200
    assert api(colleague).post(f"{base}/approve/", {}, format="json").status_code == 200


def test_a_new_adjustment_is_checked_again_and_survives_a_recompute(tenant, member):

    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    run = compute(tenant)
    first, checker = member(tenant, Role.FINANCE), member(tenant, Role.FINANCE)
    adjust(run, first, partner, "100")
    with tenant_context(tenant):
        payout_run_acknowledge(run=run, actor=checker, code="manual_adjustment")
    adjust(run, checker, partner, "-40", reason="Half of it back")

    assert "manual_adjustment" in run_warnings.unacknowledged(stored(run))
    run = compute(tenant)  # the draft computed again keeps its adjustments and their warnings
    assert dict(run_warnings.counted(run))["manual_adjustment"] == 2
