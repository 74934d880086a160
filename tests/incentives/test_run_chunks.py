"""A payout run computed in ranges of partners (in one process, or as the computation ``PAYOUTS`` on
several workers) is the run computed whole. (What every computation shares, the chunks, their count
and the job, is held by ``tests/jobs/test_computations.py``.)"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from incentives.models import PayoutLine, PayoutRun, PointsEntry
from incentives.services.run_compute import PAYOUTS
from incentives.services.runs import payout_run_compute
from incentives.tasks import compute_run
from prm.jobs.computations import in_ranges
from prm.jobs.models import ComputationChunk, JobStatus
from prm.jobs.services import job_start
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import IncentiveRuleFactory
from tests.incentives.test_runs import IN_Q3, PERIOD, commission, sell, signed, warnings_of

pytestmark = pytest.mark.django_db


def compute(tenant, chunk=None):
    with tenant_context(tenant):
        return payout_run_compute(tenant=tenant, period=PERIOD, chunk=chunk)


def snapshot(run) -> dict:
    """What a run pays and says, without database ids of its own rows."""
    with tenant_context(run.tenant_id):
        lines = sorted(
            (line.partner_id, line.rule_id, line.kind, line.amount, line.explanation, repr(line.source))
            for line in PayoutLine.objects.filter(run=run)
        )
        points = sorted(
            PointsEntry.objects.filter(run=run).values_list("partner_id", "rule_id", "points", "reason")
        )
    return {"lines": lines, "points": points, "warnings": warnings_of(run), "total": run.total}


@pytest.fixture
def channel(tenant):
    """Five partners: two book the same sale (a duplicate across ranges), one is not signed, two
    commissions pay the same sales (an overlap), points on every sale."""
    commission(tenant, "5")
    commission(tenant, "2", name="Second commission")
    IncentiveRuleFactory(
        tenant=tenant, kind="points", name="Points", params={"per_amount": "100", "points": "1"}
    )
    partners = [signed(tenant, f"Partner {n}") for n in range(4)] + [
        signed(tenant, "Talks AG", stage="strategic")
    ]
    for n, partner in enumerate(partners):
        sell(partner, str(1000 * (n + 1)), customer=f"Customer {n}")
        sell(partner, "-100", customer=f"Customer {n}")
    sell(partners[0], "777", customer="Acme Robotics", product="RX-200")
    sell(partners[3], "777", customer="ACME Robotics S.A.", product="RX-200")
    return partners


def test_a_run_computed_one_partner_at_a_time_pays_and_warns_exactly_as_one_computed_whole(tenant, channel):
    # when
    whole = snapshot(compute(tenant))
    in_ranges = snapshot(compute(tenant, chunk=1))

    # then
    assert in_ranges == whole
    assert len(whole["lines"]) == 3 * 5
    codes = [w["code"] for w in whole["warnings"]]
    assert codes[0] == "duplicate_sale" and {"unsigned_partner", "overlapping_rules"} <= set(codes)
    (duplicate,) = [w for w in whole["warnings"] if w["code"] == "duplicate_sale"]
    assert duplicate["params"]["customer"] == "acme robotics"
    assert duplicate["params"]["partners"] == "Partner 0, Partner 3"


def test_ranges_kept_aside_then_joined_pay_and_warn_exactly_as_the_run_computed_whole(tenant, channel):
    # given: the run computed whole, then each of its five partners computed and kept aside
    whole = snapshot(compute(tenant))
    with tenant_context(tenant):
        plan = PAYOUTS.plan(tenant, period=PERIOD, chunk=1)

        # when: the last range joins them (the lines, points and warnings read from the kept JSON)
        run = in_ranges(PAYOUTS, tenant, plan)

        # then
        assert len(plan.ranges) == 5 and ComputationChunk.objects.count() == 0
    assert snapshot(run) == whole


def test_a_range_that_fails_leaves_the_draft_as_it_was_and_nothing_aside(tenant, channel):
    # given: a computed draft; then a sale in dollars without a rate, in the last range only
    before = snapshot(compute(tenant))
    sell(channel[-1], "500", currency="USD", day=IN_Q3)

    # when
    with pytest.raises(ValidationError) as failure:
        compute(tenant, chunk=1)

    # then
    assert "USD" in str(failure.value)
    with tenant_context(tenant):
        assert ComputationChunk.objects.count() == 0
        assert snapshot(PayoutRun.objects.get(period=PERIOD)) == before


def test_the_first_sale_bonus_looks_at_all_earlier_history(tenant):
    # given: one partner sells for the first time this period, the other sold before
    IncentiveRuleFactory(
        tenant=tenant, kind="bonus", name="First sale", params={"type": "first_sale", "amount": "100"}
    )
    new, old = signed(tenant, "New AG"), signed(tenant, "Old AG")
    sell(new, "1000")
    sell(old, "1000")
    sell(old, "1000", day=IN_Q3.replace(year=2024))

    # when
    run = compute(tenant, chunk=1)

    # then
    with tenant_context(tenant):
        paid = list(PayoutLine.objects.filter(run=run).values_list("partner__name", "amount"))
    assert paid == [("New AG", D("100.00"))]


def test_the_payout_job_sends_a_task_per_range_and_the_last_one_lands_the_run(
    tenant, channel, member, settings, django_capture_on_commit_callbacks
):
    # given: ranges of two partners (the five partners make three tasks)
    settings.PRM_PAYOUT_CHUNK = 2
    whole = snapshot(compute(tenant))
    finance = member(tenant, Role.FINANCE)

    # when: the job runs (eagerly here; a worker per range in production)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            tenant=tenant,
            kind="payout_run",
            task=compute_run,
            requested_by=finance,
            params={"period": PERIOD},
        )
    job.refresh_from_db()

    # then: three ranges counted, each a sign of life; the run is the one computed whole
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.params["total"], job.params["done"]) == (3, 3)
    assert job.heartbeat_at >= job.started_at
    with tenant_context(tenant):
        assert snapshot(PayoutRun.objects.get(period=PERIOD)) == whole
        assert ComputationChunk.objects.count() == 0
