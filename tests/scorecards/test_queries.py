"""``scorecards/queries.py`` held to what the ORM says of the same small data: the cards one upsert
writes, the ids it keeps, and the revision it keeps of a card whose figures changed; the ranks one
statement writes, against the cohort rule said card by card in Python."""

import random
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from prm.tenancy.context import tenant_context
from scorecards.models import Scorecard, ScorecardLine, ScorecardRevision
from scorecards.queries import KEPT, KEPT_LINE, NUMBERS, cards_rank, cards_upsert
from scorecards.scoring import competition_ranks
from tests.factories import PartnerFactory, ScorecardFactory, ScorecardLineFactory

pytestmark = pytest.mark.django_db

PERIOD = "2026-Q3"
FIELDS = ["tenant_id", "partner_id", "period", "score", "tier", "region", "rank", "cohort_size"]
FIELDS += ["previous_score", "conversions", "computed_at", "dimensions", "digest"]


def card(tenant, partner, score, digest, now):
    """A row of ``FIELDS``, as the compute gives them."""
    return (tenant.pk, partner.pk, PERIOD, D(score), "B", "North", 0, 0, None, [], now, {"p": 1.0}, digest)


def upsert(tenant, cards, now):
    with tenant_context(tenant):
        return cards_upsert(tenant_id=tenant.pk, period=PERIOD, now=now, fields=FIELDS, cards=cards)


def stored(tenant) -> dict:
    """partner id → the card as the ORM reads it."""
    with tenant_context(tenant):
        return {
            row["partner_id"]: row
            for row in Scorecard.objects.filter(period=PERIOD).values(
                "id",
                "partner_id",
                "score",
                "tier",
                "region",
                "revision",
                "digest",
                "withdrawn_at",
                "dimensions",
            )
        }


def as_kept(line: dict) -> dict:
    """A line as a revision keeps it: the numbers as their text."""
    return {name: str(v) if name in NUMBERS and v is not None else v for name, v in line.items()}


@pytest.fixture
def now():
    return timezone.now()


def test_new_cards_are_inserted_and_said_new(tenant, now):
    partners = [PartnerFactory(tenant=tenant) for _ in range(2)]

    written = upsert(tenant, [card(tenant, p, "50.00", f"d{n}", now) for n, p in enumerate(partners)], now)

    cards = stored(tenant)
    assert written == {p.pk: (cards[p.pk]["id"], True) for p in partners}
    assert [(cards[p.pk]["score"], cards[p.pk]["digest"], cards[p.pk]["revision"]) for p in partners] == [
        (D("50.00"), "d0", 1),
        (D("50.00"), "d1", 1),
    ]
    assert upsert(tenant, [], now) == {}


def test_a_card_with_the_same_figures_keeps_its_id_lines_and_history_and_is_brought_back(tenant, now):
    # given: a stored card, withdrawn, with a line
    partner = PartnerFactory(tenant=tenant)
    old = ScorecardFactory(tenant=tenant, partner=partner, period=PERIOD, digest="same", withdrawn_at=now)
    ScorecardLineFactory(tenant=tenant, scorecard=old)

    # when
    written = upsert(tenant, [card(tenant, partner, "70.00", "same", now)], now)

    # then
    assert written == {partner.pk: (old.pk, False)}
    after = stored(tenant)[partner.pk]
    assert (after["score"], after["revision"], after["withdrawn_at"]) == (D("70.00"), 1, None)
    with tenant_context(tenant):
        assert ScorecardLine.objects.filter(scorecard=old).count() == 1
        assert not ScorecardRevision.objects.exists()


def test_a_card_whose_figures_changed_keeps_them_as_a_revision_and_loses_its_lines(tenant, now):
    # given: a stored card with two lines
    partner = PartnerFactory(tenant=tenant)
    old = ScorecardFactory(
        tenant=tenant, partner=partner, period=PERIOD, digest="before", computed_at=now - timedelta(days=1)
    )
    ScorecardLineFactory(tenant=tenant, scorecard=old, code="revenue", target=D("1000"), actual=D("400"))
    ScorecardLineFactory(tenant=tenant, scorecard=old, code="deals", points=D("12.50"))
    with tenant_context(tenant):
        before = Scorecard.objects.filter(pk=old.pk).values(*KEPT).get()
        ordered = ScorecardLine.objects.filter(scorecard=old).order_by("position", "code")
        lines = [as_kept(line) for line in ordered.values(*KEPT_LINE)]

    # when
    written = upsert(tenant, [card(tenant, partner, "80.00", "after", now)], now)

    # then: the same id, revision 2 with new figures; revision 1 kept as the ORM read it, lines and all
    assert written == {partner.pk: (old.pk, True)}
    after = stored(tenant)[partner.pk]
    assert (after["id"], after["revision"], after["score"], after["digest"]) == (
        old.pk,
        2,
        D("80.00"),
        "after",
    )
    with tenant_context(tenant):
        kept = (
            ScorecardRevision.objects.filter(scorecard=old)
            .values(*KEPT, "revision", "superseded_at", "lines")
            .get()
        )
        assert not ScorecardLine.objects.filter(scorecard=old).exists()
    assert {name: kept[name] for name in KEPT} == before
    assert (kept["revision"], kept["superseded_at"]) == (1, now)
    assert kept["lines"] == lines


def test_a_card_stored_before_digests_is_updated_in_place_without_a_revision(tenant, now):
    partner = PartnerFactory(tenant=tenant)
    old = ScorecardFactory(tenant=tenant, partner=partner, period=PERIOD, digest="")
    ScorecardLineFactory(tenant=tenant, scorecard=old)

    written = upsert(tenant, [card(tenant, partner, "55.00", "new", now)], now)

    assert written == {partner.pk: (old.pk, True)}
    assert stored(tenant)[partner.pk]["revision"] == 1
    with tenant_context(tenant):
        assert not ScorecardRevision.objects.exists()
        assert not ScorecardLine.objects.filter(scorecard=old).exists()  # its lines go in again


def test_another_periods_and_another_tenants_cards_are_left_alone(tenant, other_tenant, now):
    partner = PartnerFactory(tenant=tenant)
    earlier = ScorecardFactory(tenant=tenant, partner=partner, period="2026-Q2", digest="x")
    theirs = ScorecardFactory(tenant=other_tenant, period=PERIOD, digest="x")

    upsert(tenant, [card(tenant, partner, "10.00", "y", now)], now)

    with tenant_context(tenant):
        assert Scorecard.objects.get(pk=earlier.pk).digest == "x"
    with tenant_context(other_tenant):
        assert Scorecard.objects.get(pk=theirs.pk).digest == "x"


def widened_ranks(cards: list, min_size: int) -> dict:
    """``cards_rank`` in plain Python, card by card: (rank, cohort size, cohort) of each card id."""
    current = [c for c in cards if c.withdrawn_at is None]
    cohorts = [
        ("tier_region", lambda a, b: (a.tier, a.region) == (b.tier, b.region)),
        ("tier", lambda a, b: a.tier == b.tier),
        ("channel", lambda a, b: True),
    ]
    ranked = {}
    for card_ in current:
        for kind, same in cohorts:
            members = [c for c in current if same(c, card_)]
            if len(members) >= min_size or kind == "channel":
                ranks = competition_ranks([(c.pk, c.score) for c in members])
                ranked[card_.pk] = (ranks[card_.pk], len(members), kind)
                break
    return ranked


@pytest.mark.parametrize("min_size", [1, 2, 3, 5])
def test_cards_rank_ranks_as_the_rule_says_card_by_card(tenant, other_tenant, min_size):
    # given: 30 cards of random scores (ties among them) in three tiers and four regions, one withdrawn,
    # another period's and another tenant's cards
    rng = random.Random(min_size)
    cards = [
        ScorecardFactory(
            tenant=tenant,
            period=PERIOD,
            score=D(rng.choice(["10", "20", "20", "35.5", "50", "80"])),
            tier=rng.choice("ABC"),
            region=rng.choice(["EMEA", "APAC", "LATAM", ""]),
            rank=0,
            cohort_size=0,
        )
        for _ in range(30)
    ]
    Scorecard.objects.for_tenant(tenant).filter(pk=cards[0].pk).update(withdrawn_at=timezone.now())
    cards[0].withdrawn_at = timezone.now()
    elsewhere = [
        ScorecardFactory(tenant=tenant, period="2026-Q2", rank=0, cohort_size=0),
        ScorecardFactory(tenant=other_tenant, period=PERIOD, rank=0, cohort_size=0),
    ]

    # when
    with tenant_context(tenant):
        changed = cards_rank(tenant_id=tenant.pk, period=PERIOD, min_size=min_size)
        again = cards_rank(tenant_id=tenant.pk, period=PERIOD, min_size=min_size)
        stored_ranks = {
            pk: (rank, size, kind)
            for pk, rank, size, kind in Scorecard.objects.filter(period=PERIOD).values_list(
                "pk", "rank", "cohort_size", "cohort"
            )
        }

    # then
    expected = widened_ranks(cards, min_size)
    assert {pk: stored_ranks[pk] for pk in expected} == expected
    assert stored_ranks[cards[0].pk] == (0, 0, "tier_region")  # the withdrawn card is left as it was
    assert (changed, again) == (29, 0)  # a second pass finds nothing to write
    for other in elsewhere:
        assert (
            Scorecard.objects.for_tenant(other.tenant_id).filter(pk=other.pk, rank=0, cohort_size=0).exists()
        )
