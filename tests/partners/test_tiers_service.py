"""Recomputing every partner's tier from the tenant's data, and managers' overrides."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from partners.models import Partner, TierChange
from partners.tiering.moves import tier_override
from partners.tiering.recompute import tiers_recompute
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    AssessmentFactory,
    DealRegistrationFactory,
    PartnerFactory,
    SaleFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def recompute(tenant) -> dict:
    with tenant_context(tenant):
        return tiers_recompute(tenant=tenant)


def stored(partner) -> Partner:
    return Partner.objects.for_tenant(partner.tenant).get(pk=partner.pk)


def ratings(score):
    return {axis: {"score": score, "note": ""} for axis in ("competitiveness", "willingness", "autonomy")}


@pytest.fixture
def cohort(tenant):
    """Three active partners and a lost one, measured in the window.

    star:   revenue 50 000 (top of [0, 0, 50 000] -> 100), won 3 lost 1 -> 0.6*100 + 0.4*75 = 90 strong;
            4 registrations (75th pct of [0, 4, 4]) and 2 of 2 visits met -> (75 + 100) / 2 = 87.5 high;
            4 of 4 self-sourced -> 100 strong                                             -> SHS -> A
    keen:   no revenue ((0 + 0.5) / 2 -> 25 weak); 4 registrations (75) and 1 of 1 visits met
            -> 87.5 high; 4 of 4 self-sourced -> 100 strong                                -> WHS -> B
    idle:   nothing: revenue 25 weak, registrations 0 -> willingness 0 low, no autonomy   -> WLW -> D
    gone:   lost, with huge revenue: left out, and not in the cohort
    """
    star = PartnerFactory(tenant=tenant, name="Star")
    keen = PartnerFactory(tenant=tenant, name="Keen")
    idle = PartnerFactory(tenant=tenant, name="Idle")
    gone = PartnerFactory(tenant=tenant, name="Gone", stage="lost")
    SaleFactory(tenant=tenant, partner=star, amount=30000)
    SaleFactory(tenant=tenant, partner=star, amount=20000)
    SaleFactory(tenant=tenant, partner=gone, amount=900000)
    for status in ("won", "won", "won", "lost"):
        DealRegistrationFactory(tenant=tenant, partner=star, status=status, self_sourced=True)
    for _ in range(4):
        DealRegistrationFactory(tenant=tenant, partner=keen, self_sourced=True)
    VisitFactory.create_batch(2, tenant=tenant, partner=star, goal_met=True)
    VisitFactory(tenant=tenant, partner=keen, goal_met=True)
    return {"star": star, "keen": keen, "idle": idle, "gone": gone}


def test_the_strongest_partner_gets_a_and_the_weakest_d(tenant, cohort):
    # when
    result = recompute(tenant)

    # then
    tiers = {name: stored(p).tier for name, p in cohort.items()}
    assert tiers == {"star": "A", "keen": "B", "idle": "D", "gone": ""}
    assert result["partners"] == 3
    assert result["tiers"] == {"A": 1, "B": 1, "D": 1}


def test_the_partners_axes_explain_its_tier(tenant, cohort):
    # when
    recompute(tenant)

    # then
    why = stored(cohort["star"]).tier_axes
    assert why["rule"] == "SHS"
    assert why["axes"]["competitiveness"]["score"] == pytest.approx(90.0)
    assert why["axes"]["willingness"]["score"] == pytest.approx(87.5)
    assert why["axes"]["autonomy"]["score"] == pytest.approx(100.0)
    assert why["inputs"]["revenue"] == 50000.0
    # the lost partner's revenue is not in the cohort, so the star is still at the top
    assert why["inputs"]["revenue_percentile"] == 100.0
    assert why["inputs"]["win_rate"] == 0.75
    assert why["inputs"]["self_sourced_share"] == 1.0
    assert why["inputs"]["visits_goal_met_rate"] == 1.0


def test_lost_partners_are_left_out(tenant, cohort):
    # when
    recompute(tenant)

    # then
    gone = stored(cohort["gone"])
    assert gone.computed_tier == "" and gone.tier_computed_at is None
    assert not TierChange.objects.for_tenant(tenant).filter(partner=gone).exists()


def test_a_tier_change_is_kept_only_when_the_tier_changes(tenant, cohort):
    # given
    first = recompute(tenant)

    # when: nothing changed in the data
    second = recompute(tenant)

    # then
    assert first["changed"] == 3
    assert second["changed"] == 0
    changes = TierChange.objects.for_tenant(tenant)
    assert sorted((c.partner.name, c.from_tier, c.to_tier) for c in changes) == [
        ("Idle", "", "D"),
        ("Keen", "", "B"),
        ("Star", "", "A"),
    ]
    star_change = changes.get(partner=cohort["star"])
    assert star_change.is_override is False
    assert star_change.axes["rule"] == "SHS"
    assert star_change.reason == "", "the facts are kept, not an English sentence"
    assert star_change.description.endswith("→ A")


def test_a_computed_tier_change_reads_in_the_readers_language(tenant, cohort):
    # given

    recompute(tenant)
    change = TierChange.objects.for_tenant(tenant).get(partner=cohort["star"])

    # when
    with translation.override("pt-br"):
        portuguese = change.description
    english = change.description

    # then
    assert english.startswith("competitiveness ") and english.endswith("→ A")
    assert portuguese.startswith("competitividade ") and portuguese.endswith("→ A")


def test_a_change_in_the_data_writes_a_new_tier_change(tenant, cohort):
    # given
    recompute(tenant)

    # when: the idle partner sells more than anyone and wins its deals
    SaleFactory(tenant=tenant, partner=cohort["idle"], amount=80000)
    DealRegistrationFactory(tenant=tenant, partner=cohort["idle"], status="won", self_sourced=True)
    recompute(tenant)

    # then: revenue top of [0, 50 000, 80 000] and win rate 1 -> competitiveness 100 strong;
    # 1 registration, lowest of [1, 4, 4] -> 0, no visits -> willingness low; 1 of 1 self-sourced -> SLS -> C
    idle = stored(cohort["idle"])
    assert idle.tier == "C"
    latest = TierChange.objects.for_tenant(tenant).filter(partner=idle).order_by("-id").first()
    assert (latest.from_tier, latest.to_tier) == ("D", "C")


def test_data_outside_the_window_does_not_count(tenant, cohort):
    # given: the idle partner's big sale was more than the 365-day window ago
    SaleFactory(
        tenant=tenant, partner=cohort["idle"], amount=999999, date=timezone.localdate() - timedelta(days=400)
    )

    # when
    recompute(tenant)

    # then
    assert stored(cohort["idle"]).tier_axes["inputs"]["revenue"] == 0.0
    assert stored(cohort["star"]).tier == "A"


def test_the_latest_tier_assessment_is_blended_in(tenant, cohort):
    # given: an old poor rating, then a recent top rating of the idle partner
    today = timezone.localdate()
    AssessmentFactory(
        tenant=tenant, partner=cohort["idle"], ratings=ratings(1), date=today - timedelta(days=30)
    )
    AssessmentFactory(tenant=tenant, partner=cohort["idle"], ratings=ratings(5), date=today)

    # when
    recompute(tenant)

    # then: competitiveness 0.6*25 + 0.4*100 = 55 strong; willingness 0.6*0 + 0.4*100 = 40 low;
    # autonomy unmeasured, so the rating alone: 100 strong -> SLS -> C
    idle = stored(cohort["idle"])
    assert idle.tier_axes["axes"]["competitiveness"]["score"] == pytest.approx(55.0)
    assert idle.tier_axes["axes"]["willingness"]["score"] == pytest.approx(40.0)
    assert idle.tier_axes["axes"]["autonomy"]["score"] == pytest.approx(100.0)
    assert idle.tier == "C"


def test_another_tenants_data_does_not_count(tenant, other_tenant, cohort):
    # given: the other tenant's partner and a row of it pointing at our idle partner
    theirs = PartnerFactory(tenant=other_tenant)
    SaleFactory(tenant=other_tenant, partner=theirs, amount=10**6)
    SaleFactory(tenant=other_tenant, partner=cohort["idle"], amount=10**6)

    # when
    recompute(tenant)

    # then
    assert stored(theirs).computed_tier == ""
    assert stored(cohort["idle"]).tier_axes["inputs"]["revenue"] == 0.0
    assert stored(cohort["star"]).tier_axes["inputs"]["revenue_percentile"] == 100.0


# --- a fixed number of queries ------------------------------------------------------


def make_partners(tenant, count):
    for n in range(count):
        partner = PartnerFactory(tenant=tenant)
        SaleFactory(tenant=tenant, partner=partner, amount=100 * (n + 1))
        DealRegistrationFactory(tenant=tenant, partner=partner, status="won" if n % 2 else "lost")
        VisitFactory(tenant=tenant, partner=partner, goal_met=bool(n % 3))
        AssessmentFactory(tenant=tenant, partner=partner)


def queries_to_recompute(tenant) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = recompute(tenant)
    assert result["changed"] == result["partners"]  # every partner got its first tier: all writes happen
    return len(captured)


def test_the_query_count_does_not_grow_with_the_partners(tenant, other_tenant):
    # given
    make_partners(tenant, 10)
    make_partners(other_tenant, 200)

    # when
    few = queries_to_recompute(tenant)
    many = queries_to_recompute(other_tenant)

    # then
    assert few == many


# --- overrides ----------------------------------------------------------------------


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def test_an_override_puts_the_managers_tier_in_force_and_keeps_the_computed_one(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant, computed_tier="C")

    # when
    tier_override(partner=partner, actor=manager, tier="A", reason="Strategic account for the north")

    # then
    partner = stored(partner)
    assert partner.tier == "A"
    assert partner.tier_overridden is True
    assert partner.computed_tier == "C"
    assert partner.tier_override_reason == "Strategic account for the north"


def test_an_override_writes_a_tier_change_and_an_audit_entry(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant, computed_tier="C")

    # when
    tier_override(partner=partner, actor=manager, tier="A", reason="Strategic account")

    # then
    change = TierChange.objects.for_tenant(tenant).get(partner=partner)
    assert (change.from_tier, change.to_tier) == ("C", "A")
    assert change.is_override is True
    assert change.changed_by == manager
    assert change.reason == "Strategic account"
    entry = AuditEntry.objects.for_tenant(tenant).get(action="partner.tier_overridden")
    assert entry.changes == {"tier": ["C", "A"]}
    assert entry.reason == "Strategic account" and entry.actor == manager


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_reason(tenant, manager, reason):
    partner = PartnerFactory(tenant=tenant, computed_tier="C")

    with pytest.raises(ValidationError) as error:
        tier_override(partner=partner, actor=manager, tier="A", reason=reason)

    assert "reason" in error.value.message_dict
    assert stored(partner).tier == "C"
    assert not TierChange.objects.for_tenant(tenant).exists()


def test_an_override_must_be_a_tier(tenant, manager):
    partner = PartnerFactory(tenant=tenant, computed_tier="C")

    with pytest.raises(ValidationError) as error:
        tier_override(partner=partner, actor=manager, tier="E", reason="Because")

    assert "tier" in error.value.message_dict


def test_removing_the_override_restores_the_computed_tier(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant, computed_tier="C")
    tier_override(partner=partner, actor=manager, tier="A", reason="Strategic account")

    # when
    tier_override(partner=stored(partner), actor=manager, tier=None)

    # then
    partner = stored(partner)
    assert partner.tier == "C"
    assert partner.tier_overridden is False
    assert partner.tier_override_reason == ""
    last = TierChange.objects.for_tenant(tenant).filter(partner=partner).order_by("-id").first()
    assert (last.from_tier, last.to_tier, last.is_override) == ("A", "C", True)
    assert (last.reason, last.description) == ("", "Override removed.")
    entry = AuditEntry.objects.for_tenant(tenant).get(action="partner.tier_override_removed")
    assert entry.changes == {"tier": ["A", "C"]}


def test_recomputing_keeps_an_override_in_force(tenant, manager, cohort):
    # given: the idle partner (computed D) is overridden to B
    tier_override(partner=cohort["idle"], actor=manager, tier="B", reason="New management, big plans")

    # when
    recompute(tenant)

    # then
    idle = stored(cohort["idle"])
    assert idle.computed_tier == "D"
    assert idle.tier == "B"
