"""Payout runs through the services: compute, recompute, adjust, approve (once), never change, export."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from incentives import run_warnings, selectors
from incentives.exports import run_csv, run_xlsx
from incentives.models import MdfClaim, PayoutLine, PayoutRun, PointsEntry
from incentives.models.runs import ImmutableError
from incentives.services import rules
from incentives.services.runs import (
    RunNotDraft,
    payout_adjustment_add,
    payout_run_approve,
    payout_run_compute,
)
from partners.programme.settings import programme_save
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    DealRegistrationFactory,
    ExchangeRateFactory,
    IncentiveRuleFactory,
    MdfClaimFactory,
    MdfRequestFactory,
    PartnerFactory,
    SaleFactory,
    TenantFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = "2026-Q3"  # 1 July – 30 September 2026
IN_Q1 = date(2026, 2, 15)
IN_Q2 = date(2026, 5, 15)
IN_Q3 = date(2026, 8, 15)
IN_Q4 = date(2026, 11, 15)


# --- helpers ------------------------------------------------------------------------


def signed(tenant, name=None, **fields):
    fields = {"stage": "signed", "computed_tier": "B", "region": "North", **fields}
    if name:
        fields["name"] = name
    return PartnerFactory(tenant=tenant, **fields)


def commission(tenant, rate="5", name="Base commission", **fields):
    return IncentiveRuleFactory(tenant=tenant, kind="commission", name=name, params={"rate": rate}, **fields)


def sell(partner, amount, day=IN_Q3, **fields):
    return SaleFactory(tenant=partner.tenant, partner=partner, amount=D(amount), date=day, **fields)


def compute(tenant, period=PERIOD) -> PayoutRun:
    with tenant_context(tenant):
        return payout_run_compute(tenant=tenant, period=period)


def approve(run, actor, **kwargs) -> PayoutRun:
    with tenant_context(run.tenant_id):
        return payout_run_approve(run=run, actor=actor, **kwargs)


def adjust(run, actor, partner, amount, reason="Correction"):
    with tenant_context(run.tenant_id):
        return payout_adjustment_add(run=run, actor=actor, partner=partner, amount=D(amount), reason=reason)


def lines_of(run, **filters) -> list[PayoutLine]:
    return list(PayoutLine.objects.for_tenant(run.tenant_id).filter(run=run, **filters).order_by("id"))


def stored(run) -> PayoutRun:
    return PayoutRun.objects.for_tenant(run.tenant_id).get(pk=run.pk)


def warnings_of(run) -> list[dict]:
    """The run's warnings in the order it lists them: kind, partner, sentence and the sales kept."""
    return [
        {
            "code": w["code"],
            "partner": w["partner_id"],
            "params": w["params"],
            "sales": w["facts"]["sales"],
            "sales_count": w["facts"]["sales_count"],
        }
        for w in run_warnings.rows(run)
    ]


def warning_codes(run) -> list[str]:
    return sorted(w["code"] for w in warnings_of(run))


@pytest.fixture
def finance(tenant, member):
    return member(tenant, Role.FINANCE)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


# --- lines --------------------------------------------------------------------------


def test_a_line_keeps_partner_rule_version_kind_amount_explanation_and_sales(tenant):
    # given
    partner = signed(tenant, "Nordwind Systems")
    rule = commission(tenant, "5")
    first, second = sell(partner, "8000", date(2026, 7, 10)), sell(partner, "4400", date(2026, 9, 30))
    sell(partner, "99999", IN_Q2)  # another period

    # when
    run = compute(tenant)

    # then: 5% of 12 400 = 620
    (line,) = lines_of(run)
    assert (line.partner_id, line.rule_id, line.rule_version, line.kind) == (
        partner.pk,
        rule.pk,
        1,
        "commission",
    )
    assert (line.amount, line.currency) == (D("620.00"), "EUR")
    assert line.explanation == "Base commission: 5% of 12 400.00"
    assert line.source["sales"] == [first.pk, second.pk]
    assert line.source["external_ids"] == [first.external_id, second.external_id]
    assert (run.period, run.status, run.total, run.currency) == (PERIOD, "draft", D("620.00"), "EUR")


def test_each_line_is_rounded_once_half_up_and_the_total_adds_the_rounded_lines(tenant):
    # given: 5% of 2.50 = 0.125 for each of two partners
    commission(tenant, "5")
    for name in ("Baltic Motion", "Nordwind Systems"):
        sell(signed(tenant, name), "2.50")

    # when
    run = compute(tenant)

    # then: 0.125 -> 0.13 (half up, not to even), and 0.13 + 0.13 = 0.26 (not 0.25)
    assert [line.amount for line in lines_of(run)] == [D("0.13"), D("0.13")]
    assert stored(run).total == D("0.26")


def test_lost_partners_and_other_tenants_are_not_paid(tenant, other_tenant):
    # given
    commission(tenant, "5")
    paid = signed(tenant, "Nordwind Systems")
    sell(paid, "1000")
    sell(signed(tenant, "Gone GmbH", stage="lost"), "5000")
    commission(other_tenant, "5")
    sell(signed(other_tenant, "Elsewhere Ltd"), "7000", currency="USD")

    # when
    run = compute(tenant)

    # then
    assert [(line.partner_id, line.amount) for line in lines_of(run)] == [(paid.pk, D("50.00"))]


def test_points_go_into_the_ledger_with_a_zero_amount_line(tenant):
    # given: 12 400 holds 12 whole steps of 1 000, 10 points each
    partner = signed(tenant)
    rule = IncentiveRuleFactory(
        tenant=tenant, kind="points", name="Club", params={"per_amount": "1000", "points": "10"}
    )
    sell(partner, "12400")

    # when
    run = compute(tenant)

    # then
    (line,) = lines_of(run)
    assert (line.kind, line.amount) == ("points", D("0.00"))
    entries = list(
        PointsEntry.objects.for_tenant(tenant).filter(run=run).values_list("partner_id", "rule_id", "points")
    )
    assert entries == [(partner.pk, rule.pk, 120)]


# --- recomputing a draft ------------------------------------------------------------


def test_recomputing_a_draft_replaces_its_lines_and_keeps_the_adjustments(tenant, finance):
    # given
    commission(tenant, "5")
    IncentiveRuleFactory(
        tenant=tenant, kind="rebate", name="Rebate", params={"threshold": "5000", "rate": "2"}
    )
    nordwind, baltic = signed(tenant, "Nordwind Systems"), signed(tenant, "Baltic Motion")
    sell(nordwind, "9000")
    sell(baltic, "3000")
    run = compute(tenant)
    before = sorted((line.partner_id, line.rule_id, line.amount) for line in lines_of(run) if line.rule_id)
    adjustment = adjust(run, finance, baltic, "-50", reason="Damaged demo unit")

    # when
    again = compute(tenant)

    # then: the same run, the same computed lines once each, the adjustment still there
    assert again.pk == run.pk
    computed = lines_of(run, rule__isnull=False)
    assert sorted((line.partner_id, line.rule_id, line.amount) for line in computed) == before
    assert len(computed) == 3  # commission for both (450, 150), rebate for Nordwind (180)
    assert [(line.pk, line.kind, line.amount) for line in lines_of(run, kind="adjustment")] == [
        (adjustment.pk, "adjustment", D("-50.00"))
    ]
    assert stored(run).total == D("730.00")  # 450 + 150 + 180 − 50


def test_recomputing_picks_up_new_sales(tenant):
    # given
    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    run = compute(tenant)
    sell(partner, "3000")

    # when
    compute(tenant)

    # then: 5% of 4 000
    assert [line.amount for line in lines_of(run)] == [D("200.00")]
    assert stored(run).total == D("200.00")


def test_an_adjustment_needs_a_reason(tenant, finance):
    # given
    partner = signed(tenant)
    run = compute(tenant)

    # when
    with pytest.raises(ValidationError) as caught:
        adjust(run, finance, partner, "10", reason="  ")

    # then
    assert list(caught.value.message_dict) == ["reason"]
    assert lines_of(run) == []


# --- rule versions ------------------------------------------------------------------


def test_an_approved_run_keeps_the_rule_version_it_used_and_a_new_run_uses_the_new_one(
    tenant, finance, member
):
    # given: Q3 paid at 5% (version 1) and approved
    rule = commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "10000", IN_Q3)
    sell(partner, "2000", IN_Q4)
    q3 = approve(compute(tenant), finance)

    # when: the rule goes to 10%, and Q4 is computed
    with tenant_context(tenant):
        v2 = rules.rule_edit(rule=rule, actor=member(tenant, Role.CHANNEL_MANAGER), params={"rate": "10"})
    q4 = compute(tenant, "2026-Q4")

    # then
    assert (v2.version, v2.key, v2.params["rate"]) == (2, rule.key, "10")
    assert [(line.rule_id, line.rule_version, line.amount) for line in lines_of(q3)] == [
        (rule.pk, 1, D("500.00"))
    ]
    assert [(line.rule_id, line.rule_version, line.amount) for line in lines_of(q4)] == [
        (v2.pk, 2, D("200.00"))
    ]
    assert lines_of(q4)[0].explanation == "Base commission: 10% of 2 000.00"


# --- approval -----------------------------------------------------------------------


@pytest.fixture
def run_with_warnings(tenant):
    """A partner still in selection with a sale: the unsigned_partner warning."""
    commission(tenant, "5")
    sell(signed(tenant, "Prospect AG", stage="selection"), "1000")
    run = compute(tenant)
    assert warning_codes(run) == ["unsigned_partner"]
    return run


def test_a_run_with_warnings_is_not_approved_without_acknowledging_them(run_with_warnings, finance):
    # when
    with pytest.raises(ValidationError) as caught:
        approve(run_with_warnings, finance)

    # then
    assert list(caught.value.message_dict) == ["acknowledge_warnings"]
    assert stored(run_with_warnings).status == "draft"


def test_acknowledging_the_warnings_approves_the_run_and_records_it(run_with_warnings, finance):
    # when
    approve(run_with_warnings, finance, acknowledge_warnings=True)

    # then
    run = stored(run_with_warnings)
    assert (run.status, run.warnings_acknowledged, run.approved_by_id) == ("approved", True, finance.pk)
    assert run.approved_at is not None


def test_a_run_without_warnings_is_approved_without_acknowledgement(tenant, finance):
    # given
    commission(tenant, "5")
    sell(signed(tenant), "1000")
    run = compute(tenant)

    # when
    approve(run, finance)

    # then
    assert (stored(run).status, stored(run).warnings_acknowledged) == ("approved", False)


def test_a_run_is_approved_once(tenant, finance, member):
    # given
    run = compute(tenant)
    approve(run, finance)

    # when / then
    with pytest.raises(RunNotDraft):
        approve(run, member(tenant, Role.FINANCE))


def test_the_last_editor_of_a_rule_in_the_run_may_not_approve_it(tenant, member):
    # given
    editor = member(tenant, Role.FINANCE)
    with tenant_context(tenant):
        rules.rule_create(tenant=tenant, actor=editor, name="Base", kind="commission", params={"rate": "5"})
    sell(signed(tenant), "1000")
    run = compute(tenant)

    # when
    with pytest.raises(ValidationError) as caught:
        approve(run, editor)

    # then
    assert list(caught.value.message_dict) == ["detail"]
    assert stored(run).status == "draft"


def test_the_editor_of_a_rules_newer_version_may_not_approve_either(tenant, member):
    # given: the run paid version 1; then someone made version 2
    rule = commission(tenant, "5")
    sell(signed(tenant), "1000")
    run = compute(tenant)
    editor = member(tenant, Role.ADMIN)
    with tenant_context(tenant):
        rules.rule_edit(rule=rule, actor=editor, params={"rate": "6"})

    # when / then
    with pytest.raises(ValidationError):
        approve(run, editor)
    assert stored(run).status == "draft"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.FINANCE])
def test_an_admin_or_another_finance_user_may_approve(tenant, member, role):
    # given
    with tenant_context(tenant):
        rules.rule_create(
            tenant=tenant,
            actor=member(tenant, Role.FINANCE),
            name="Base",
            kind="commission",
            params={"rate": "5"},
        )
    sell(signed(tenant), "1000")
    run = compute(tenant)
    approver = member(tenant, role)

    # when
    approve(run, approver)

    # then
    assert (stored(run).status, stored(run).approved_by_id) == ("approved", approver.pk)


# --- an approved run never changes --------------------------------------------------


@pytest.fixture
def approved(tenant, finance):
    commission(tenant, "5")
    for name, amount in (("Baltic Motion", "3000"), ("Nordwind Systems", "9000")):
        sell(signed(tenant, name), amount)
    return approve(compute(tenant), finance)


def _save_line(run):
    line = lines_of(run)[0]
    line.amount = D("0")
    line.save()


def _delete_line(run):
    lines_of(run)[0].delete()


def _update_lines(run):
    with tenant_context(run.tenant_id):
        PayoutLine.objects.filter(run=run).update(amount=0)


def _delete_lines(run):
    with tenant_context(run.tenant_id):
        PayoutLine.objects.filter(run=run).delete()


def _save_run(run):
    run.total = D("0")
    run.save()


def _delete_run(run):
    stored(run).delete()


@pytest.mark.parametrize(
    "change",
    [_save_line, _delete_line, _update_lines, _delete_lines, _save_run, _delete_run],
    ids=["line.save", "line.delete", "lines.update", "lines.delete", "run.save", "run.delete"],
)
def test_an_approved_run_and_its_lines_refuse_every_change(approved, change):
    # given
    before = [(line.pk, line.amount) for line in lines_of(approved)]

    # when
    with pytest.raises(ImmutableError):
        change(approved)

    # then: 150 and 450, as approved
    assert before == [(before[0][0], D("150.00")), (before[1][0], D("450.00"))]
    assert [(line.pk, line.amount) for line in lines_of(approved)] == before
    assert (stored(approved).status, stored(approved).total) == ("approved", D("600.00"))


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE incentives_payoutline SET amount = 0 WHERE run_id = %(run)s",
        "DELETE FROM incentives_payoutline WHERE run_id = %(run)s",
        "INSERT INTO incentives_payoutline (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount,"
        " currency, explanation, source, created_by_id)"
        " SELECT tenant_id, run_id, partner_id, rule_id, rule_version, kind, 1, currency, explanation, source,"
        " created_by_id FROM incentives_payoutline WHERE run_id = %(run)s LIMIT 1",
        "UPDATE incentives_payoutrun SET total = 0 WHERE id = %(run)s",
        "UPDATE incentives_payoutrun SET status = 'draft' WHERE id = %(run)s",
        "DELETE FROM incentives_payoutrun WHERE id = %(run)s",
    ],
    ids=["line update", "line delete", "line insert", "run total", "run back to draft", "run delete"],
)
def test_the_database_refuses_to_change_an_approved_run_whatever_sql_tries(approved, statement):

    with tenant_context(approved.tenant_id):
        with pytest.raises(DatabaseError, match="approved payout run never change"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, {"run": approved.pk})
    assert [line.amount for line in lines_of(approved)] == [D("150.00"), D("450.00")]
    assert (stored(approved).status, stored(approved).total) == ("approved", D("600.00"))


@pytest.mark.postgres
def test_the_database_lets_an_approved_run_be_exported(approved):
    with tenant_context(approved.tenant_id), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE incentives_payoutrun SET status = 'exported', exported_at = now() WHERE id = %s",
            [approved.pk],
        )
    assert stored(approved).status == "exported"


def test_a_copy_of_the_run_loaded_before_approval_cannot_delete_it(tenant, finance):
    # given
    commission(tenant, "5")
    sell(signed(tenant), "1000")
    draft_copy = compute(tenant)
    approve(draft_copy, finance)

    # when / then
    with pytest.raises(ImmutableError):
        draft_copy.delete()
    assert [line.amount for line in lines_of(draft_copy)] == [D("50.00")]


def test_a_line_cannot_be_moved_out_of_an_approved_run(approved, tenant):
    # given
    line = lines_of(approved)[0]
    later = compute(tenant, "2026-Q4")

    # when / then
    line.run = later
    with pytest.raises(ImmutableError):
        line.save()
    assert len(lines_of(approved)) == 2


def test_lines_cannot_be_moved_into_an_approved_run(approved, tenant):
    # given
    sell(signed(tenant, "Zeta Systems"), "1000", IN_Q4)
    later = compute(tenant, "2026-Q4")
    assert len(lines_of(later)) == 1

    # when / then
    with pytest.raises(ImmutableError), tenant_context(tenant):
        PayoutLine.objects.filter(run=later).update(run=approved)
    assert len(lines_of(approved)) == 2


def test_an_approved_period_is_not_recomputed(approved, tenant):
    # given
    before = [(line.pk, line.amount) for line in lines_of(approved)]

    # when
    with pytest.raises(RunNotDraft):
        compute(tenant)

    # then
    assert [(line.pk, line.amount) for line in lines_of(approved)] == before


def test_an_adjustment_to_an_approved_run_is_refused(approved, tenant, finance):
    # given
    partner = lines_of(approved)[0].partner

    # when
    with pytest.raises(ImmutableError):
        adjust(approved, finance, partner, "25")

    # then
    assert len(lines_of(approved)) == 2
    assert stored(approved).total == D("600.00")


def test_a_correction_goes_into_a_later_draft_run(approved, tenant, finance):
    # given
    partner = lines_of(approved)[0].partner
    later = compute(tenant, "2026-Q4")

    # when
    line = adjust(later, finance, partner, "25", reason="Missed sale in Q3")

    # then
    assert (line.run_id, line.kind, line.amount, line.rule_id) == (later.pk, "adjustment", D("25.00"), None)
    assert line.explanation == "Adjustment: Missed sale in Q3"
    assert line.created_by_id == finance.pk
    assert stored(later).total == D("25.00")
    assert stored(approved).total == D("600.00")


# --- currencies ---------------------------------------------------------------------


def test_a_foreign_sale_without_a_rate_names_the_currency_and_saves_nothing(tenant):
    # given
    commission(tenant, "5")
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 1, 1), rate=D("0.9"))
    sell(signed(tenant), "1000", currency="GBP")

    # when
    with pytest.raises(ValidationError) as caught:
        compute(tenant)

    # then
    assert "GBP" in " ".join(caught.value.message_dict["period"])
    assert not PayoutRun.objects.for_tenant(tenant).exists()


def test_a_rate_dated_after_the_sale_does_not_convert_it(tenant):
    # given
    commission(tenant, "5")
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 8, 16), rate=D("0.9"))
    sell(signed(tenant), "1000", day=date(2026, 8, 15), currency="USD")

    # when
    with pytest.raises(ValidationError) as caught:
        compute(tenant)

    # then
    assert "USD" in " ".join(caught.value.message_dict["period"])


def test_the_rate_of_the_sale_date_converts_it_and_is_kept_on_the_line(tenant):
    # given
    commission(tenant, "5")
    for day, rate in ((date(2026, 7, 1), "0.80"), (date(2026, 8, 1), "0.90"), (date(2026, 9, 1), "0.95")):
        ExchangeRateFactory(tenant=tenant, currency="USD", date=day, rate=D(rate))
    partner = signed(tenant)
    sell(partner, "1000", day=date(2026, 8, 20), currency="USD")  # the 1 August rate
    sell(partner, "1000", day=date(2026, 9, 1), currency="USD")  # the rate of that very day

    # when
    run = compute(tenant)

    # then: 900 + 950 = 1 850; 5% = 92.50
    (line,) = lines_of(run)
    assert line.amount == D("92.50")
    assert {key: D(rate) for key, rate in line.source["rates"].items()} == {
        "USD@2026-08-20": D("0.9"),
        "USD@2026-09-01": D("0.95"),
    }
    assert D(line.source["volume"]) == D("1850")


# --- audits -------------------------------------------------------------------------


def test_the_same_sale_booked_by_two_partners_is_flagged(tenant):
    # given: the same customer written two ways, same product, day and amount
    commission(tenant, "5")
    mine = sell(signed(tenant, "Alpha Partners"), "5000", customer="Acme Robotics GmbH", product="RX-200")
    theirs = sell(signed(tenant, "Beta Partners"), "5000", customer="ACME robotics", product="RX-200")

    # when
    run = compute(tenant)

    # then
    (warning,) = warnings_of(run)
    assert warning["code"] == "duplicate_sale"
    assert sorted(warning["sales"]) == sorted([mine.pk, theirs.pk])
    assert "Alpha Partners, Beta Partners" in run_warnings.message(warning)


def test_different_amounts_for_the_same_customer_are_not_a_duplicate(tenant):
    # given
    commission(tenant, "5")
    sell(signed(tenant, "Alpha Partners"), "5000", customer="Acme Robotics", product="RX-200")
    sell(signed(tenant, "Beta Partners"), "5000.01", customer="Acme Robotics", product="RX-200")

    # when
    run = compute(tenant)

    # then
    assert warnings_of(run) == []


def test_sales_by_a_partner_not_yet_signed_are_flagged(tenant):
    # given
    commission(tenant, "5")
    prospect = signed(tenant, "Prospect AG", stage="strategic")
    sale = sell(prospect, "1000")
    sell(signed(tenant, "Certified AG", stage="certified"), "2000")

    # when
    run = compute(tenant)

    # then
    (warning,) = warnings_of(run)
    assert (warning["code"], warning["partner"], warning["sales"]) == (
        "unsigned_partner",
        prospect.pk,
        [sale.pk],
    )


def test_two_commission_rules_on_the_same_sale_are_flagged(tenant):
    # given
    commission(tenant, "5", name="Base commission")
    commission(tenant, "2", name="Robot push")
    partner = signed(tenant)
    sale = sell(partner, "1000")

    # when
    run = compute(tenant)

    # then
    (warning,) = warnings_of(run)
    assert (warning["code"], warning["partner"], warning["sales"]) == (
        "overlapping_rules",
        partner.pk,
        [sale.pk],
    )
    assert "Base commission" in run_warnings.message(warning) and "Robot push" in run_warnings.message(
        warning
    )


def test_a_commission_and_points_on_the_same_sale_are_not_an_overlap(tenant):
    # given
    commission(tenant, "5")
    IncentiveRuleFactory(tenant=tenant, kind="points", params={"per_amount": "100", "points": "1"})
    sell(signed(tenant), "1000")

    # when
    run = compute(tenant)

    # then
    assert len(lines_of(run)) == 2
    assert warnings_of(run) == []


def test_a_commission_and_a_rebate_on_the_same_sale_are_not_an_overlap(tenant):
    # given: the programme pays both on purpose
    commission(tenant, "5")
    IncentiveRuleFactory(
        tenant=tenant, kind="rebate", name="Rebate", params={"threshold": "500", "rate": "2"}
    )
    sell(signed(tenant), "1000")

    # when
    run = compute(tenant)

    # then: 50 commission and 20 rebate, no warning
    assert sorted(line.amount for line in lines_of(run)) == [D("20.00"), D("50.00")]
    assert warnings_of(run) == []


@pytest.fixture
def history(tenant, member):
    """Nordwind was paid 400 in Q1 and 600 in Q2 (approved): an average of 500."""
    commission(tenant, "5")
    partner = signed(tenant, "Nordwind")
    approver = member(tenant, Role.FINANCE)
    for period, day, amount in (("2026-Q1", IN_Q1, "8000"), ("2026-Q2", IN_Q2, "12000")):
        sell(partner, amount, day)
        run = compute(tenant, period)
        assert warnings_of(run) == []
        approve(run, approver)
    return partner


def test_a_jump_over_three_times_the_partners_average_is_flagged(tenant, history):
    # given: 5% of 32 000 = 1 600 > 3 × 500
    sell(history, "32000")

    # when
    run = compute(tenant)

    # then
    (warning,) = warnings_of(run)
    assert (warning["code"], warning["partner"]) == ("jump", history.pk)
    assert (
        run_warnings.message(warning)
        == "Nordwind: 1600.00 this period, more than 3× its average of 500.00 before."
    )


def test_the_jump_threshold_is_the_programmes(tenant, history, member):
    # given: 5% of 22 000 = 1 100: not above 3 × 500, but above 2 × 500 and 1 000
    programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"jump_factor": 2})
    sell(history, "22000")

    # when
    run = compute(tenant)

    # then
    (warning,) = warnings_of(run)
    assert (
        run_warnings.message(warning)
        == "Nordwind: 1100.00 this period, more than 2× its average of 500.00 before."
    )


def test_a_jump_below_the_programmes_minimum_amount_is_not_flagged(tenant, history, member):
    # given: 1 600 is above 3 × 500 but not above the minimum of 2 000
    programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"jump_minimum": 2000})
    sell(history, "32000")

    # when / then
    assert warnings_of(compute(tenant)) == []


def test_a_programme_that_pays_signed_partners_only_pays_no_candidate(tenant, member):
    # given: a candidate in selection sold too
    commission(tenant, "5")
    sell(signed(tenant, "Nordwind"), "1000")
    candidate = PartnerFactory(tenant=tenant, name="Baltic", stage="selection")
    sell(candidate, "1000")
    paying_all = compute(tenant)
    assert sorted(line.partner.name for line in lines_of(paying_all)) == ["Baltic", "Nordwind"]

    # when
    programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"pay_unsigned_partners": False})
    run = compute(tenant)

    # then
    assert [line.partner.name for line in lines_of(run)] == ["Nordwind"]
    assert warnings_of(run) == []


def test_a_total_up_to_three_times_the_average_is_not_a_jump(tenant, history):
    # given: 5% of 29 000 = 1 450 ≤ 1 500
    sell(history, "29000")

    # when
    run = compute(tenant)

    # then
    assert warnings_of(run) == []


def test_a_partner_without_earlier_runs_has_no_jump(tenant):
    # given
    commission(tenant, "5")
    sell(signed(tenant), "900000")

    # when
    run = compute(tenant)

    # then
    assert warnings_of(run) == []


# --- MDF ----------------------------------------------------------------------------


@pytest.fixture
def mdf_programme(tenant):
    return IncentiveRuleFactory(tenant=tenant, kind="mdf", name="MDF", params={"budget": "5000"})


def claim(tenant, partner, rule, amount, *, status="approved", period=PERIOD):
    request = MdfRequestFactory(
        tenant=tenant, partner=partner, rule=rule, period=period, status="approved", amount=D("9000")
    )
    return MdfClaimFactory(tenant=tenant, request=request, amount=D(amount), status=status)


def test_approved_claims_are_paid_up_to_the_budget_and_marked_paid_on_approval(
    tenant, finance, media, mdf_programme
):
    # given
    partner = signed(tenant)
    first = claim(tenant, partner, mdf_programme, "3000")
    second = claim(tenant, partner, mdf_programme, "4000")
    open_claim = claim(tenant, partner, mdf_programme, "500", status="submitted")
    earlier = claim(tenant, partner, mdf_programme, "800", period="2026-Q2")

    # when
    run = compute(tenant)

    # then: 3 000 in full, 2 000 of 4 000 (budget 5 000)
    lines = lines_of(run)
    assert [(line.kind, line.amount, line.source["claim"]) for line in lines] == [
        ("mdf", D("3000.00"), first.pk),
        ("mdf", D("2000.00"), second.pk),
    ]
    assert MdfClaim.objects.for_tenant(tenant).get(pk=first.pk).status == "approved"

    # when
    approve(run, finance)

    # then
    statuses = dict(MdfClaim.objects.for_tenant(tenant).values_list("pk", "status"))
    assert statuses == {
        first.pk: "paid",
        second.pk: "paid",
        open_claim.pk: "submitted",
        earlier.pk: "approved",
    }
    paid_lines = dict(MdfClaim.objects.for_tenant(tenant).values_list("pk", "paid_line_id"))
    assert (paid_lines[first.pk], paid_lines[second.pk]) == (lines[0].pk, lines[1].pk)


def test_an_mdf_budget_share_counts_last_periods_foreign_sales_at_their_rate(tenant, media):
    # given: Q2 revenue 20 000 EUR + 10 000 USD at 0.9 = 29 000; 10% of it = 2 900
    programme = IncentiveRuleFactory(tenant=tenant, kind="mdf", name="MDF", params={"budget_share": "10"})
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 1, 1), rate=D("0.9"))
    partner = signed(tenant)
    sell(partner, "20000", IN_Q2)
    sell(partner, "10000", IN_Q2, currency="USD")
    claim(tenant, partner, programme, "5000")

    # when
    run = compute(tenant)

    # then
    assert [line.amount for line in lines_of(run)] == [D("2900.00")]


def test_last_periods_sales_need_a_rate_only_when_an_mdf_budget_is_a_share_of_them(tenant, media):
    # given: a commission, and a pound sale of the quarter before that no rate converts
    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    sell(partner, "500", IN_Q2, currency="GBP")

    # when: the run pays only on this quarter's sales
    run = compute(tenant)

    # then: it is computed; once an MDF budget is a share of last quarter's revenue, the rate is asked for
    assert [line.amount for line in lines_of(run)] == [D("50.00")]
    IncentiveRuleFactory(tenant=tenant, kind="mdf", name="MDF", params={"budget_share": "10"})
    with pytest.raises(ValidationError) as caught:
        compute(tenant)
    assert "GBP" in " ".join(caught.value.message_dict["period"])


def test_a_strategic_deal_bonus_is_paid_once(tenant, finance):
    # given: the deal was registered and won in Q2, and Q2's run paid the bonus
    IncentiveRuleFactory(
        tenant=tenant,
        kind="bonus",
        name="Strategic",
        params={"type": "strategic_deal", "amount": "2500", "customer": "Acme Robotics"},
    )
    partner = signed(tenant)
    DealRegistrationFactory(
        tenant=tenant,
        partner=partner,
        customer="Acme Robotics",
        status="won",
        registered_at=datetime(2026, 5, 10, 12, tzinfo=UTC),
    )
    q2 = compute(tenant, "2026-Q2")
    assert [line.amount for line in lines_of(q2)] == [D("2500.00")]
    approve(q2, finance)

    # when
    q3 = compute(tenant)

    # then
    assert lines_of(q3) == []


# --- exports ------------------------------------------------------------------------


@pytest.fixture
def exported(tenant, finance, member):
    """Baltic: commission 150 and an adjustment of −20; Nordwind: first-sale bonus 250 and commission 450."""
    commission(tenant, "5", name="Base commission")
    IncentiveRuleFactory(
        tenant=tenant, kind="bonus", name="Welcome bonus", params={"type": "first_sale", "amount": "250"}
    )
    baltic = signed(tenant, "Baltic Motion", payee_reference="V-200")
    nordwind = signed(tenant, "Nordwind Systems", payee_reference="V-100")
    sell(baltic, "1000", IN_Q1)  # its first sale was before Q3: no welcome bonus
    sell(baltic, "3000")
    sell(nordwind, "9000")
    run = compute(tenant)
    adjust(run, finance, baltic, "-20", reason="Returned demo unit")
    run = approve(run, member(tenant, Role.FINANCE), acknowledge_warnings=True)  # four eyes: not the adjuster
    return run, baltic, nordwind


def test_the_csv_has_a_row_per_partner_and_rule_a_subtotal_per_partner_and_a_total(tenant, exported):
    # given
    run, baltic, nordwind = exported
    rows = selectors.export_rows(tenant=tenant, run=run)

    # when
    table = list(csv.reader(io.StringIO(run_csv(run, rows))))

    # then
    b, n = str(baltic.pk), str(nordwind.pk)
    assert table == [
        ["partner_id", "partner", "payee_reference", "rule", "kind", "amount", "currency", "period", "row"],
        [b, "Baltic Motion", "V-200", "Adjustment", "adjustment", "-20.00", "EUR", "2026-Q3", "line"],
        [b, "Baltic Motion", "V-200", "Base commission", "commission", "150.00", "EUR", "2026-Q3", "line"],
        [b, "Baltic Motion", "V-200", "Subtotal", "", "130.00", "EUR", "2026-Q3", "subtotal"],
        [n, "Nordwind Systems", "V-100", "Welcome bonus", "bonus", "250.00", "EUR", "2026-Q3", "line"],
        [n, "Nordwind Systems", "V-100", "Base commission", "commission", "450.00", "EUR", "2026-Q3", "line"],
        [n, "Nordwind Systems", "V-100", "Subtotal", "", "700.00", "EUR", "2026-Q3", "subtotal"],
        ["", "Total", "", "", "", "830.00", "EUR", "2026-Q3", "total"],
    ]


def test_the_subtotals_are_one_payment_per_partner_and_add_up_to_the_total(tenant, exported):
    # given
    run, _baltic, _nordwind = exported

    # when
    table = list(csv.reader(io.StringIO(run_csv(run, selectors.export_rows(tenant=tenant, run=run)))))

    # then
    by_kind = {
        kind: [D(row[5]) for row in table[1:] if row[8] == kind] for kind in ("line", "subtotal", "total")
    }
    assert len(by_kind["subtotal"]) == 2 and len(by_kind["total"]) == 1
    assert sum(by_kind["line"]) == sum(by_kind["subtotal"]) == by_kind["total"][0] == D("830.00")


def test_the_xlsx_has_the_same_cells_with_a_money_format(tenant, exported):
    # given

    run, baltic, nordwind = exported
    rows = selectors.export_rows(tenant=tenant, run=run)

    # when
    sheet = load_workbook(io.BytesIO(run_xlsx(run, rows))).active

    # then
    assert sheet.title == "2026-Q3"
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row)]
    assert values[0] == [
        "partner_id",
        "partner",
        "payee_reference",
        "rule",
        "kind",
        "amount",
        "currency",
        "period",
        "row",
    ]
    assert values[1:8] == [
        [baltic.pk, "Baltic Motion", "V-200", "Adjustment", "adjustment", -20, "EUR", "2026-Q3", "line"],
        [baltic.pk, "Baltic Motion", "V-200", "Base commission", "commission", 150, "EUR", "2026-Q3", "line"],
        [baltic.pk, "Baltic Motion", "V-200", "Subtotal", None, 130, "EUR", "2026-Q3", "subtotal"],
        [nordwind.pk, "Nordwind Systems", "V-100", "Welcome bonus", "bonus", 250, "EUR", "2026-Q3", "line"],
        [
            nordwind.pk,
            "Nordwind Systems",
            "V-100",
            "Base commission",
            "commission",
            450,
            "EUR",
            "2026-Q3",
            "line",
        ],
        [nordwind.pk, "Nordwind Systems", "V-100", "Subtotal", None, 700, "EUR", "2026-Q3", "subtotal"],
        [None, "Total", None, None, None, 830, "EUR", "2026-Q3", "total"],
    ]
    assert sheet.max_row == 8
    assert all(sheet.cell(row=r, column=6).number_format == "#,##0.00" for r in range(2, 9))
    assert sheet["A1"].font.bold and sheet["B8"].font.bold and sheet["F4"].font.bold
    assert not sheet["F2"].font.bold


def test_the_export_sums_lines_of_the_same_partner_and_rule(tenant, finance, media, mdf_programme):
    # given: two MDF lines of one rule (3 000 + 2 000) and two adjustments (−20, −5)
    partner = signed(tenant, "Nordwind Systems")
    claim(tenant, partner, mdf_programme, "3000")
    claim(tenant, partner, mdf_programme, "4000")
    run = compute(tenant)
    adjust(run, finance, partner, "-20")
    adjust(run, finance, partner, "-5")

    # when
    table = list(csv.reader(io.StringIO(run_csv(run, selectors.export_rows(tenant=tenant, run=run)))))

    # then
    assert [row[3:6] for row in table[1:]] == [
        ["Adjustment", "adjustment", "-25.00"],
        ["MDF", "mdf", "5000.00"],
        ["Subtotal", "", "4975.00"],
        ["", "", "4975.00"],  # the totals row: 5 000 − 25
    ]


@pytest.mark.parametrize("name", ["=1+2", "+1", "@SUM(A1)", "-2+3"])
def test_a_partner_name_that_looks_like_a_formula_is_quoted(tenant, finance, name):
    # given
    commission(tenant, "5")
    sell(signed(tenant, name), "1000")
    run = approve(compute(tenant), finance)
    rows = selectors.export_rows(tenant=tenant, run=run)

    # when

    table = list(csv.reader(io.StringIO(run_csv(run, rows))))
    cell = load_workbook(io.BytesIO(run_xlsx(run, rows))).active["B2"]

    # then
    assert table[1][1] == "'" + name
    assert (cell.value, cell.data_type) == ("'" + name, "s")


# --- a fixed number of queries ------------------------------------------------------


def make_partners(tenant, count):
    commission(tenant, "5")
    IncentiveRuleFactory(tenant=tenant, kind="points", params={"per_amount": "100", "points": "1"})
    for n in range(count):
        partner = signed(tenant, computed_tier="ABCD"[n % 4])
        for amount in (100, 250, -30):
            sell(partner, D(amount * (n + 1)), currency=tenant.currency)
        sell(partner, D(500), IN_Q2, currency=tenant.currency)


def queries_to_compute(tenant, partners) -> int:
    with CaptureQueriesContext(connection) as captured:
        run = compute(tenant)
    assert len(lines_of(run)) == 2 * partners
    return len(captured)


def test_the_query_count_of_a_run_does_not_grow_with_the_partners(tenant):
    # given
    many_tenant = TenantFactory(slug="gamma", currency="EUR")
    make_partners(tenant, 10)
    make_partners(many_tenant, 200)

    # when
    few = queries_to_compute(tenant, 10)
    many = queries_to_compute(many_tenant, 200)

    # then
    assert few == many


def test_the_query_count_of_a_recompute_does_not_grow_with_the_partners(tenant):
    # given: both periods were computed before, so their lines are replaced
    many_tenant = TenantFactory(slug="gamma", currency="EUR")
    make_partners(tenant, 10)
    make_partners(many_tenant, 200)
    compute(tenant)
    compute(many_tenant)

    # when
    few = queries_to_compute(tenant, 10)
    many = queries_to_compute(many_tenant, 200)

    # then
    assert few == many
