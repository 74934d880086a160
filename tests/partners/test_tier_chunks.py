"""The tier recompute as a computation over ranges of partners (``TIERS``, on several workers) is the
recompute done in one process: the same tiers, axes, health, changes and unconverted sales, written
in one transaction by the join, and nothing kept aside afterwards. (What every computation shares,
the chunks, their count and the job, is held by ``tests/jobs/test_computations.py``.)"""

from decimal import Decimal as D

import pytest
from django.db import transaction
from django.utils import timezone

from partners.models import HealthChange, Partner, TierChange
from partners.tasks import recompute_tiers
from partners.tiering.recompute import TIERS, tiers_recompute
from prm.jobs.computations import chunk_measure, chunks_join, in_ranges
from prm.jobs.models import ComputationChunk, JobStatus
from prm.jobs.services import job_start
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import ExchangeRateFactory, PartnerFactory, SaleFactory
from tests.partners.test_tiers_service import cohort  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(tenant, cohort):  # noqa: F811 (the fixture above)
    """The tier cohort (a star, a keen and an idle partner, a lost one) and two more sellers: one
    selling in USD (a rate converts it) and one in GBP (no rate: unconverted)."""
    today = timezone.localdate()
    dollars = PartnerFactory(tenant=tenant, name="Dollars", stage="signed")
    pounds = PartnerFactory(tenant=tenant, name="Pounds", stage="signed")
    ExchangeRateFactory(tenant=tenant, currency="USD", date=today, rate=D("0.9"))
    SaleFactory(tenant=tenant, partner=dollars, amount=D("12000"), currency="USD", date=today)
    SaleFactory(tenant=tenant, partner=pounds, amount=D("5000"), currency="GBP", date=today)
    return tenant


def snapshot(tenant) -> dict:
    """What a recompute leaves, as readers see it (no times of computation)."""
    with tenant_context(tenant):
        return {
            "partners": list(
                Partner.objects.order_by("pk").values_list(
                    "pk", "computed_tier", "tier_axes", "health", "health_reasons"
                )
            ),
            "tier_changes": list(
                TierChange.objects.order_by("partner_id").values_list(
                    "partner_id", "from_tier", "to_tier", "axes"
                )
            ),
            "health_changes": list(
                HealthChange.objects.order_by("partner_id").values_list(
                    "partner_id", "from_health", "to_health", "reasons"
                )
            ),
        }


def outcome(tenant, recompute) -> tuple[dict, dict]:
    """``recompute()``'s answer and what it left, then undone: each way starts from the same data."""
    with transaction.atomic():
        result = recompute()
        left = snapshot(tenant)
        transaction.set_rollback(True)
    return result, left


def whole(tenant) -> tuple[dict, dict]:
    with tenant_context(tenant):
        return outcome(tenant, lambda: tiers_recompute(tenant=tenant))


def test_ranges_measured_aside_then_joined_give_exactly_the_recompute_done_whole(channel):
    expected_result, expected = whole(channel)

    def in_ranges():
        plan = TIERS.plan(channel, chunk=2)
        for index in reversed(range(len(plan.ranges))):  # workers finish in any order
            chunk_measure(TIERS, channel, plan, index)
        assert not TierChange.objects.exists()  # nothing is written until the join
        result = chunks_join(TIERS, channel, plan)
        assert len(plan.ranges) == 3 and ComputationChunk.objects.count() == 0
        return result

    with tenant_context(channel):
        result, left = outcome(channel, in_ranges)

    assert result == expected_result and left == expected
    # a channel of every kind of partner: four tiers given, every active partner's moved from none
    assert result["tiers"] == {"A": 1, "B": 1, "C": 1, "D": 2} and result["changed"] == 5
    assert result["unconverted"] == [
        {"currency": "GBP", "sales": 1, "from": timezone.localdate().isoformat()}
    ]
    dollars = next(
        axes for _pk, _tier, axes, *_ in left["partners"] if axes.get("inputs", {}).get("revenue_converted")
    )
    assert dollars["inputs"]["revenue_converted"][0]["converted"] == "10800.00"  # the rate behind the revenue


def test_the_recompute_job_sends_a_task_per_range_and_the_last_one_writes_every_tier(
    channel, member, settings, django_capture_on_commit_callbacks
):

    expected_result, expected = whole(channel)
    settings.PRM_TIER_CHUNK = 2

    # when: the job runs (eagerly here; a worker per range in production)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            tenant=channel,
            kind="recompute_tiers",
            task=recompute_tiers,
            requested_by=member(channel, Role.CHANNEL_MANAGER),
        )
    job.refresh_from_db()

    # then: three ranges counted, every tier written as one recompute would, the job links to them
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.params["total"], job.params["done"]) == (3, 3)
    assert {k: v for k, v in job.result.items() if k != "url"} == expected_result
    assert job.result["url"].endswith("/tiers/")
    assert snapshot(channel) == expected


def test_a_partner_brought_back_between_the_plan_and_its_ranges_is_measured(tenant):
    # given: a lost partner of a lower id than every active one, with sales, and two sellers
    early = PartnerFactory(tenant=tenant, name="Early", stage="lost")
    sellers = [PartnerFactory(tenant=tenant, stage="signed") for _ in range(2)]
    for partner, amount in zip([early, *sellers], ("700", "300", "100"), strict=True):
        SaleFactory(tenant=tenant, partner=partner, amount=D(amount))
    with tenant_context(tenant):
        plan = TIERS.plan(tenant, chunk=1)
        # when: it is brought back after the plan was made, before its ranges are measured
        Partner.objects.filter(pk=early.pk).update(stage="signed")
        result = in_ranges(TIERS, tenant, plan)
        axes = Partner.objects.get(pk=early.pk).tier_axes

    # then: the first range, open below, measured it with the others
    assert plan.ranges[0][0] is None and result["partners"] == 3
    assert axes["inputs"]["revenue"] == 700.0
