"""Recomputing every partner's tier and health set-based, in one process or over ranges of partners.

A recompute measures each partner's facts over the window (``_measured``: the aggregates over the
sales, deal registrations and visits), then places every partner against the whole channel's
sellers and writes every tier and health in one transaction (``_decide_and_write``). The
``partners.recompute_tiers`` job runs it as the computation ``TIERS`` (``prm.jobs.computations``):
in place when the partners make one range of ``PRM_TIER_CHUNK``, else each range measured on a
worker and kept aside, the last one done joining them. A manager's override and the e-mails of
moved partners are ``services.tier_moves``; a tier in words is ``partners.tiering.explanation``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from partners.choices import AssessmentKind, DealStatus, Stage
from partners.health.compute import health_assess, health_signals
from partners.models import Assessment, DealRegistration, HealthChange, Partner, Sale, TierChange, Visit
from partners.programme.settings import programme_for
from partners.tiering.explanation import explain
from partners.tiering.moves import tier_rights_notify
from partners.tiering.rule import PartnerFacts, decide_tier
from prm.currency.conversion import conversions_and_unconverted, merged_unconverted
from prm.jobs.computations import Computation, Plan, register
from prm.ranges import id_ranges, within
from prm.sql import aggregate_memory, update_rows
from prm.webhooks.events import emit_many

BATCH = 1000
#: partners written by one UPDATE: its arrays (the axes as JSON) are built a batch at a time
WRITE_BATCH = 5000
SELLING_STAGES = {Stage.STRATEGIC, Stage.SIGNED, Stage.CERTIFIED}

#: Willingness inputs other apps measure: name → ``measure(tenant, since) -> {partner_id: 0–100}``,
#: one aggregate query each (onboarding registers ``training``, leads ``leads``).
_willingness_inputs: dict = {}


def register_willingness_input(name: str, measure) -> None:
    """Called from an app's ``ready()``; ``name`` is a key of the programme's ``willingness_weights``."""
    _willingness_inputs[name] = measure


def _measured(tenant, since, partners: tuple | None = None) -> tuple[dict[int, dict], list[dict]]:
    """What the window's sales, deal registrations and visits say of each partner of the range
    ``partners`` (``(low, high)``), or of every partner: ``{partner id: {PartnerFacts field: value}}``
    (three aggregate queries and one of the foreign sales' rates), and the window's sales no rate
    converts (``unconverted``). Plain values: a range measured on a worker keeps them as JSON."""
    data = defaultdict(dict)
    window = within(Sale.objects.for_tenant(tenant), partners).filter(date__gte=since.date())
    for row in window.values("partner_id").annotate(revenue=Sum("converted")):
        data[row["partner_id"]]["revenue"] = float(row["revenue"] or 0)
    foreign, missing = conversions_and_unconverted(window, tenant)
    for partner_id, rows in foreign.items():  # the rates behind the revenue
        data[partner_id]["foreign"] = rows
    deals = (
        within(DealRegistration.objects.for_tenant(tenant), partners)
        .filter(registered_at__gte=since)
        .values("partner_id")
        .annotate(
            registrations=Count("id"),
            won=Count("id", filter=Q(status=DealStatus.WON)),
            lost=Count("id", filter=Q(status=DealStatus.LOST)),
            self_sourced=Count("id", filter=Q(self_sourced=True)),
        )
    )
    for row in deals:
        data[row.pop("partner_id")].update(row)
    visits = (
        within(Visit.objects.for_tenant(tenant), partners)
        .filter(date__gte=since.date())
        .values("partner_id")
        .annotate(visits=Count("id"), visits_goal_met=Count("id", filter=Q(goal_met=True)))
    )
    for row in visits:
        data[row.pop("partner_id")].update(row)
    return data, missing


def _with_inputs(tenant, since, measured: dict[int, dict]) -> dict[int, dict]:
    """``measured`` (``_measured``, of the channel or of all its ranges) with the willingness inputs
    other apps measure (one aggregate query each, over the channel), as ``extra``. Kept as plain
    values: a partner's ``PartnerFacts`` is made when its batch is decided (``_decide_and_write``)."""
    weights = programme_for(tenant).willingness_weights
    for name, measure in _willingness_inputs.items():
        if weights.get(name):  # an input weighted 0 is not measured
            for partner_id, score in measure(tenant, since).items():
                measured.setdefault(partner_id, {}).setdefault("extra", {})[name] = float(score)
    return measured


def _latest_assessments(tenant) -> dict[int, dict]:
    """Each partner's latest tier assessment as {axis: rating}: one query."""
    latest = {}
    rows = (
        Assessment.objects.for_tenant(tenant)
        .filter(kind=AssessmentKind.TIER)
        .order_by("partner_id", "date", "id")
        .values_list("partner_id", "ratings")
    )
    for partner_id, ratings in rows:
        latest[partner_id] = {axis: r.get("score") for axis, r in ratings.items() if isinstance(r, dict)}
    return latest


def _window(programme, now):
    return now - timedelta(days=programme.tier_window_days)


def _partners(tenant):
    """The partners whose tier is recomputed: every one but the lost."""
    return Partner.objects.for_tenant(tenant).exclude(stage=Stage.LOST)


@aggregate_memory()
def tiers_recompute(*, tenant, progress=None) -> dict:
    """Recompute every active partner's tier and health; keep a TierChange (HealthChange) where it changed.

    A fixed number of queries however many partners: three aggregates over the
    channel, the partners, the assessments, then batched writes. (On several
    workers the aggregates run a range of partners each, and the join places and
    writes them all: ``TierRecompute``.)
    """
    now = timezone.now()
    measured, missing = _measured(tenant, _window(programme_for(tenant), now))
    if progress:
        progress(0.4)
    return _decide_and_write(tenant, now, measured, missing, progress)


def _decide_and_write(tenant, now, measured: dict[int, dict], missing: list[dict], progress=None) -> dict:
    """Each partner's tier from its facts against the sellers' cohort, its health, and the writes.

    What is held for the whole channel is plain and small: the facts as measured (``measured``), the
    cohort's sorted revenues and registrations, the latest assessments and the health signals. The
    partners themselves are read, decided and written ``WRITE_BATCH`` at a time (their model
    instances, axes, changes and events live for a batch), all in one transaction."""
    programme = programme_for(tenant)
    measured = _with_inputs(tenant, _window(programme, now), measured)
    stages = list(_partners(tenant).order_by("pk").values_list("pk", "stage"))
    # partners are measured against those that sell (strategic, signed, certified)
    sellers = [pk for pk, stage in stages if stage in SELLING_STAGES] or [pk for pk, _stage in stages]
    nothing = {}
    cohort_revenue = sorted(float(measured.get(pk, nothing).get("revenue", 0.0)) for pk in sellers)
    cohort_registrations = sorted(float(measured.get(pk, nothing).get("registrations", 0)) for pk in sellers)
    ids = [pk for pk, _stage in stages]
    del stages, sellers
    assessments = _latest_assessments(tenant)
    signals = health_signals(tenant=tenant, now=now, programme=programme)
    if progress:
        progress(0.5)
    counts, health, done, changed = defaultdict(int), defaultdict(int), 0, 0
    with transaction.atomic():  # reads before, so progress shows; the writes land together
        for start in range(0, len(ids), WRITE_BATCH):
            first, last = ids[start], ids[min(start + WRITE_BATCH, len(ids)) - 1]
            partners = list(
                _partners(tenant)
                .filter(pk__gte=first, pk__lte=last)
                .order_by("pk")
                .only("id", "name", "stage", "computed_tier", "tier_override", "health")  # not the old axes
            )
            changes = []
            for partner in partners:
                values = measured.get(partner.pk)
                tier, why = decide_tier(
                    PartnerFacts(**values) if values else PartnerFacts(),
                    cohort_revenue,
                    cohort_registrations,
                    assessments.get(partner.pk),
                    programme,
                )
                counts[tier] += 1
                if tier != partner.computed_tier:
                    changes.append(
                        TierChange(
                            tenant=tenant,
                            partner=partner,
                            from_tier=partner.computed_tier,
                            to_tier=tier,
                            axes=why,  # the facts; ``TierChange.description`` says them in words
                            changed_at=now,
                        )
                    )
                partner.computed_tier, partner.tier_axes, partner.tier_computed_at = tier, why, now
                partner.tier_inputs, partner.figures_at = inputs_of(values), now
            health_changes = health_assess(
                tenant=tenant, partners=partners, now=now, programme=programme, found=signals
            )
            _write_batch(tenant, partners, changes, health_changes)
            done, changed = done + len(partners), changed + len(changes)
            for partner in partners:
                health[partner.health] += 1
            del partners, changes, health_changes  # the batch's instances go before the next is read
    result = {
        "partners": done,
        "changed": changed,
        "tiers": dict(sorted(counts.items())),
        "health": dict(sorted(health.items())),
    }
    # sales no rate converts are left out of revenue: the job says which, so finance adds the rates
    return {**result, "unconverted": missing} if missing else result


def _write_batch(tenant, partners: list, changes: list, health_changes: list) -> None:
    """A batch of decided partners written: its tier and health changes, its partners (one UPDATE),
    the e-mails of its tier moves and its events."""
    TierChange.objects.for_tenant(tenant).bulk_create(changes, batch_size=BATCH)
    HealthChange.objects.for_tenant(tenant).bulk_create(health_changes, batch_size=BATCH)
    update_rows(
        Partner,
        partners,
        [
            "computed_tier",
            "tier_axes",
            "tier_computed_at",
            "tier_inputs",
            "figures_at",
            "health",
            "health_reasons",
            "health_computed_at",
        ],
        tenant_id=tenant.pk,
    )
    if not changes:
        return
    tier_rights_notify(
        tenant=tenant,
        moves=[  # the tier in force changed (not hidden by an override)
            (c.partner, c.from_tier, c.to_tier) for c in changes if not c.partner.tier_override
        ],
    )
    emit_many(
        tenant=tenant,
        name="partner.tier_changed",
        items=lambda: [
            {
                "id": c.partner_id,
                "from_tier": c.from_tier or None,
                "to_tier": c.to_tier,
                "override": False,
                "rule": c.axes.get("rule"),
                "axes": c.axes.get("axes"),
                "sentence": explain(c.axes, c.to_tier),
            }
            for c in changes
        ],
    )


def inputs_of(values: dict | None) -> dict:
    """A partner's tier inputs as stored (``Partner.tier_inputs``): what ``_measured`` found of it,
    without the inputs other apps measure over the whole channel (``extra``)."""
    return {name: value for name, value in (values or {}).items() if name != "extra"}


def tier_inputs_refresh(tenant, partner_id: int, now) -> None:
    """One partner's tier inputs measured now as the recompute measures them (a range of one
    partner: three aggregates over its own rows), for its live figures (``partners.live``)."""
    measured, _unconverted = _measured(
        tenant, _window(programme_for(tenant), now), (partner_id, partner_id + 1)
    )
    Partner.objects.for_tenant(tenant).filter(pk=partner_id).update(
        tier_inputs=inputs_of(measured.get(partner_id))
    )


@dataclass(kw_only=True, slots=True)
class TierPlan(Plan):
    """A recompute cut into partner ranges, measured on several workers: one window for them all."""

    computed_at: str


class TierRecompute(Computation):
    """The tier recompute over ranges of partners: each range measures its partners' facts over
    the window (revenue and its rates, deal registrations, visits; the sales no rate converts),
    the join places every partner against the whole channel and writes every tier and health, as
    ``tiers_recompute`` does in one process."""

    name = "partners.tiers"
    label = "tier recompute"
    plan_class = TierPlan

    def plan(self, tenant, *, chunk: int | None = None, **params) -> TierPlan:
        ranges = id_ranges(_partners(tenant), chunk or settings.PRM_TIER_CHUNK)
        return TierPlan(ranges=ranges, computed_at=timezone.now().isoformat())

    def measure(self, tenant, plan: TierPlan, index: int) -> dict:
        """``{"facts": {partner id: {PartnerFacts field: value}}, "unconverted": [...]}`` of the
        range's partners with anything measured."""
        since = _window(programme_for(tenant), parse_datetime(plan.computed_at))
        measured, missing = _measured(tenant, since, plan.ranges[index])
        return {"facts": measured, "unconverted": missing}

    def join(self, tenant, plan: TierPlan, chunks) -> dict:
        measured, missing = {}, []
        for payload in chunks.payloads():
            measured.update((int(partner_id), facts) for partner_id, facts in payload["facts"].items())
            missing.append(payload["unconverted"])
        return _decide_and_write(
            tenant, parse_datetime(plan.computed_at), measured, merged_unconverted(missing)
        )

    def in_place(self, tenant, plan: TierPlan, progress=None) -> dict:
        return tiers_recompute(tenant=tenant, progress=progress)

    def result(self, tenant, outcome: dict) -> dict:
        return {**outcome, "url": reverse("partners:tiers", kwargs={"tenant": tenant.slug})}


TIERS = register(TierRecompute())
