"""A scorecard compute in ranges of partners, in one process or as the computation ``SCORECARDS`` over
several workers, is the compute done whole: the same cards, lines, ranks and conversions, landed in
one transaction. (What every computation shares, the chunks, their count and the job, is held by
``tests/jobs/test_computations.py``.)"""

from decimal import Decimal as D

import pytest

from prm.jobs.computations import chunk_measure, chunks_join, in_ranges
from prm.jobs.models import ComputationChunk, JobStatus
from prm.jobs.services import job_start
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import Scorecard, ScorecardRevision
from scorecards.services.compute import SCORECARDS, scorecards_compute
from scorecards.tasks import compute
from tests.factories import ExchangeRateFactory, SaleFactory
from tests.scorecards.test_compute import IN_Q3, PERIOD, make_partners

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(tenant):
    """Twelve scored partners in four cohorts, one of them selling in USD (a rate for it)."""
    make_partners(tenant, 12)
    with tenant_context(tenant):
        partner = Scorecard.objects.filter(period="2026-Q2").order_by("partner_id").first().partner
    ExchangeRateFactory(tenant=tenant, currency="USD", date=IN_Q3, rate=D("0.9"))
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000"), currency="USD", date=IN_Q3)
    return tenant


def snapshot(tenant) -> list:
    """The period's cards as a reader sees them, lines and all (no ids, no time of computation)."""
    with tenant_context(tenant):
        cards = Scorecard.objects.filter(period=PERIOD).order_by("partner_id").prefetch_related("lines")
        return [
            (
                card.partner_id,
                card.score,
                card.tier,
                card.region,
                card.rank,
                card.cohort_size,
                card.previous_score,
                card.dimensions,
                card.conversions,
                [
                    (line.code, line.target, line.actual, line.attainment, line.points, line.position)
                    for line in card.lines.order_by("position", "code")
                ],
            )
            for card in cards
        ]


def test_ranges_of_one_partner_give_exactly_the_period_computed_whole(channel):
    with tenant_context(channel):
        whole = scorecards_compute(tenant=channel, period=PERIOD)
    computed_whole = snapshot(channel)

    with tenant_context(channel):
        in_ranges = scorecards_compute(tenant=channel, period=PERIOD, chunk=1)

    assert in_ranges == whole and whole["scorecards"] == 12
    assert snapshot(channel) == computed_whole
    assert any(card[8] for card in computed_whole)  # the USD seller's conversion is there
    assert {card[4] for card in computed_whole} >= {1, 2}  # ranked within cohorts


def ids(tenant) -> dict:
    """The period's scorecard id of each partner."""
    with tenant_context(tenant):
        return dict(Scorecard.objects.filter(period=PERIOD).values_list("partner_id", "id"))


def join_in_ranges(tenant, chunk=5) -> dict:
    with tenant_context(tenant):
        return in_ranges(SCORECARDS, tenant, SCORECARDS.plan(tenant, period=PERIOD, chunk=chunk))


def test_ranges_kept_aside_then_joined_give_the_same_period_and_leave_nothing_behind(channel):
    with tenant_context(channel):
        scorecards_compute(tenant=channel, period=PERIOD)
    whole, cards = snapshot(channel), ids(channel)

    with tenant_context(channel):
        plan = SCORECARDS.plan(channel, period=PERIOD, chunk=5)
        for index in reversed(range(len(plan.ranges))):  # workers finish in any order
            chunk_measure(SCORECARDS, channel, plan, index)
        assert Scorecard.objects.filter(period=PERIOD).count() == 12  # the period stands until the join
        result = chunks_join(SCORECARDS, channel, plan)
        assert ComputationChunk.objects.count() == 0

    assert len(plan.ranges) == 3 and result["scorecards"] == 12
    assert snapshot(channel) == whole
    # the same cards, and their figures measured on workers found unchanged: no revision, no history
    assert ids(channel) == cards
    with tenant_context(channel):
        assert set(Scorecard.objects.values_list("revision", flat=True)) == {1}
        assert not ScorecardRevision.objects.exists()


def test_changed_data_joined_from_ranges_keeps_the_ids_and_the_history_of_the_changed_cards(channel):
    # given: the period computed in one process, then one partner sells more
    with tenant_context(channel):
        scorecards_compute(tenant=channel, period=PERIOD)
        seller = Scorecard.objects.filter(period=PERIOD).order_by("partner_id").last()
    cards = ids(channel)
    SaleFactory(tenant=channel, partner=seller.partner, amount=D("4000"), date=IN_Q3)

    # when: computed again in ranges, on workers
    join_in_ranges(channel)

    # then: the same ids; the seller's card is revision 2 and keeps revision 1 as it was
    assert ids(channel) == cards
    with tenant_context(channel):
        now = Scorecard.objects.get(pk=seller.pk)
        kept = ScorecardRevision.objects.get()
    assert (now.revision, now.score > seller.score) == (2, True)
    assert (kept.scorecard_id, kept.revision, kept.score) == (seller.pk, 1, seller.score)


def test_the_compute_job_sends_a_task_per_range_and_the_last_one_replaces_the_period(
    channel, member, settings, django_capture_on_commit_callbacks
):

    with tenant_context(channel):
        scorecards_compute(tenant=channel, period=PERIOD)
    whole = snapshot(channel)
    settings.PRM_SCORECARD_CHUNK = 5

    # when: the job runs (eagerly here; a worker per range in production)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            tenant=channel,
            kind="compute_scorecards",
            task=compute,
            requested_by=member(channel, Role.CHANNEL_MANAGER),
            params={"period": PERIOD},
        )
    job.refresh_from_db()

    # then: three ranges counted, the period replaced as a whole, the job links to it
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.params["total"], job.params["done"], job.result["scorecards"]) == (3, 3, 12)
    assert job.result["url"].endswith(f"?period={PERIOD}")
    assert snapshot(channel) == whole
