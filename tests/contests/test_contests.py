"""Contests: who takes part, how they rank (ties share a rank), who wins, and closing awards once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from incentives.models import PayoutLine, PointsEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from rewards.contests import standings
from rewards.contests.models import ContestAward
from rewards.contests.services import contest_close, contest_save, contests_close_due
from rewards.preferences.models import RewardPreference
from tests.factories import KpiFactory, PartnerFactory, SaleFactory, ScorecardFactory, ScorecardLineFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
AFTER = datetime.date(2026, 10, 20)


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def seller(tenant, name, before, now, **kwargs):
    """A signed partner that sold ``before`` a year before the contest and ``now`` during it."""
    kwargs.setdefault("stage", "signed")
    partner = PartnerFactory(tenant=tenant, name=name, **kwargs)
    if before:
        SaleFactory(
            tenant=tenant,
            partner=partner,
            date=datetime.date(2025, 8, 1),
            amount=Decimal(before),
            currency=tenant.currency,
        )
    if now:
        SaleFactory(
            tenant=tenant,
            partner=partner,
            date=datetime.date(2026, 8, 1),
            amount=Decimal(now),
            currency=tenant.currency,
        )
    return partner


def growth_contest(tenant, manager, prizes, **fields):
    fields = {"starts_on": START, "ends_on": END, "measure": "growth", **fields}
    with tenant_context(tenant):
        return contest_save(tenant=tenant, actor=manager, name="Summer growth", prizes=prizes, **fields)


def test_growth_ranks_with_ties_sharing_a_rank_and_skipping_the_next(tenant, manager):
    a = seller(tenant, "Alpha", 1000, 1500)  # +50 %
    b = seller(tenant, "Bravo", 1000, 1500)  # +50 %
    c = seller(tenant, "Charlie", 1000, 1100)  # +10 %
    seller(tenant, "Delta", 0, 900)  # nothing a year before: not ranked
    contest = growth_contest(tenant, manager, [])
    with tenant_context(tenant):
        board = standings.leaderboard(contest)
        count = standings.ranked_count(contest)
    assert [(row.partner_id, row.rank) for row in board] == [(a.pk, 1), (b.pk, 1), (c.pk, 3)]
    assert board[0].value == Decimal(50) and board[2].value == Decimal(10)
    assert count == 3 and board[0].ranked == 3


def test_only_the_eligible_group_takes_part(tenant, manager):
    a = seller(tenant, "North A", 1000, 1200, region="North", computed_tier="A", operating_model="project")
    seller(tenant, "North B", 1000, 1900, region="North", computed_tier="B", operating_model="project")
    seller(tenant, "South A", 1000, 1900, region="South", computed_tier="A", operating_model="project")
    seller(
        tenant, "North A product", 1000, 1900, region="North", computed_tier="A", operating_model="product"
    )
    seller(
        tenant, "Lost", 1000, 1900, region="North", computed_tier="A", operating_model="project", stage="lost"
    )
    override = seller(
        tenant,
        "Overridden to A",
        1000,
        1100,
        region="North",
        computed_tier="C",
        tier_override="A",
        operating_model="project",
    )
    contest = growth_contest(
        tenant, manager, [], tiers=["A"], regions=["North"], operating_models=["project"]
    )
    with tenant_context(tenant):
        ids = [row.partner_id for row in standings.leaderboard(contest)]
    assert ids == [a.pk, override.pk]


def test_preferred_only_contests_take_only_partners_who_prefer_them(tenant, manager):
    keen = seller(tenant, "Keen", 1000, 1200)
    seller(tenant, "Indifferent", 1000, 1900)
    RewardPreference.objects.for_tenant(tenant).create(tenant=tenant, partner=keen, kinds=["points", "money"])
    contest = growth_contest(tenant, manager, [], for_preferences=["points"], preferred_only=True)
    with tenant_context(tenant):
        assert [row.partner_id for row in standings.leaderboard(contest)] == [keen.pk]


def test_a_kpi_contest_ranks_the_scorecards_actuals_and_thresholds_read_percent_of_target(tenant, manager):
    kpi = KpiFactory(tenant=tenant, code="deals", name="Deals", source="manual")
    values = {
        "Over": (Decimal(13), Decimal("1.3")),
        "On": (Decimal(10), Decimal("1.0")),
        "Under": (Decimal(5), Decimal("0.5")),
    }
    partners = {}
    for name, (actual, attainment) in values.items():
        partner = PartnerFactory(tenant=tenant, name=name, stage="signed")
        card = ScorecardFactory(tenant=tenant, partner=partner, period="2026-Q3")
        ScorecardLineFactory(
            tenant=tenant,
            scorecard=card,
            kpi=kpi,
            code="deals",
            actual=actual,
            target=Decimal(10),
            attainment=attainment,
        )
        partners[name] = partner
    prizes = [
        {
            "label": "Over 120 %",
            "basis": "threshold",
            "threshold": Decimal(120),
            "kind": "points",
            "points": 500,
        }
    ]
    with tenant_context(tenant):
        contest = contest_save(
            tenant=tenant,
            actor=manager,
            name="Deals",
            period="2026-q3",
            measure="kpi",
            kpi=kpi,
            prizes=prizes,
        )
        board = standings.leaderboard(contest)
        winners = standings.winners(contest, contest.prizes.get())
        own = standings.own_standing(contest, partners["On"].pk)
    assert (contest.period, contest.starts_on, contest.ends_on) == ("2026-Q3", START, END)
    assert [row.name for row in board] == ["Over", "On", "Under"]
    assert [w.partner_id for w in winners] == [partners["Over"].pk]
    assert own.holds == [] and own.to_reach[0][1] == Decimal(20)


def test_closing_awards_the_prizes_once_points_to_the_ledger_money_to_the_next_draft_run(
    tenant, manager, mailoutbox, partner_user, django_capture_on_commit_callbacks
):
    a = seller(tenant, "Alpha", 1000, 1500)
    b = seller(tenant, "Bravo", 1000, 1500)
    c = seller(tenant, "Charlie", 1000, 1100)
    winner_user = partner_user(tenant, partner=a)
    prizes = [
        {
            "label": "Trip to Lisbon",
            "basis": "rank",
            "rank_from": 1,
            "rank_to": 1,
            "kind": "money",
            "amount": Decimal(2000),
        },
        {
            "label": "Growth points",
            "basis": "threshold",
            "threshold": Decimal(5),
            "kind": "points",
            "points": 500,
        },
    ]
    contest = growth_contest(tenant, manager, prizes)
    with tenant_context(tenant):
        with pytest.raises(ValidationError):  # still running
            contest_close(contest=contest, actor=manager, today=END)
        with django_capture_on_commit_callbacks(execute=True):
            awards = contest_close(contest=contest, actor=manager, today=AFTER)
        with pytest.raises(ValidationError):
            contest_close(contest=contest, actor=manager, today=AFTER)
        assert contests_close_due(tenant=tenant, today=AFTER + datetime.timedelta(days=60)) == 0
        points = PointsEntry.objects.for_tenant(tenant).filter(partner__in=[a, b, c])
        lines = PayoutLine.objects.for_tenant(tenant).filter(kind="adjustment")
        stored = ContestAward.objects.for_tenant(tenant).count()
    # tied first: both win the trip; everyone over 5 % growth gets the points
    assert sorted((aw.partner_id, aw.prize.label) for aw in awards) == sorted(
        [
            (a.pk, "Trip to Lisbon"),
            (b.pk, "Trip to Lisbon"),
            (a.pk, "Growth points"),
            (b.pk, "Growth points"),
            (c.pk, "Growth points"),
        ]
    )
    assert stored == 5
    assert sorted(p.points for p in points) == [500, 500, 500] and "Summer growth" in points[0].reason
    assert sorted(line.partner_id for line in lines) == sorted([a.pk, b.pk])
    assert all(line.amount == Decimal(2000) and line.run.status == "draft" for line in lines)
    assert [m.to for m in mailoutbox] == [[winner_user.email]] and "Summer growth" in mailoutbox[0].subject


def test_the_daily_job_closes_contests_their_days_after_the_end(tenant, manager):
    seller(tenant, "Alpha", 1000, 1500)
    contest = growth_contest(
        tenant,
        manager,
        [{"label": "Points", "basis": "rank", "rank_from": 1, "kind": "points", "points": 100}],
        auto_close_days=10,
    )
    with tenant_context(tenant):
        early = contests_close_due(tenant=tenant, today=END + datetime.timedelta(days=9))
        due = contests_close_due(tenant=tenant, today=END + datetime.timedelta(days=10))
        contest.refresh_from_db()
    assert (early, due) == (0, 1) and contest.closed_at is not None


def test_a_closed_contest_is_no_longer_changed_and_bad_prizes_are_refused(tenant, manager):
    with pytest.raises(ValidationError) as no_rank:
        growth_contest(tenant, manager, [{"label": "X", "basis": "rank", "kind": "points", "points": 5}])
    with pytest.raises(ValidationError) as no_period:
        growth_contest(tenant, manager, [], measure="score")
    contest = growth_contest(tenant, manager, [])
    with tenant_context(tenant):
        contest_close(contest=contest, actor=manager, today=AFTER)
        with pytest.raises(ValidationError):
            contest_save(tenant=tenant, actor=manager, contest=contest, name="Renamed")
    assert "prizes" in no_rank.value.message_dict and "period" in no_period.value.message_dict
