"""Recomputing every partner's tier set-based, and managers' overrides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from prm.audit.events import audit_record
from prm.currency.conversion import conversions_and_unconverted, merged_unconverted, with_converted
from prm.ranges import id_ranges, within
from prm.sql import aggregate_memory, update_rows
from prm.webhooks.events import emit, emit_many

from ..choices import AssessmentKind, DealStatus, Stage, Tier
from ..models import Assessment, DealRegistration, HealthChange, Partner, Sale, TierChange, TierChunk, Visit
from ..programme import programme_for
from ..tiering import PartnerFacts, decide_tier
from .health import health_assess, health_signals

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
    for row in with_converted(window, tenant).values("partner_id").annotate(revenue=Sum("converted")):
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


@dataclass(slots=True)
class TierPlan:
    """A recompute cut into partner ranges, measured on several workers: one window for them all."""

    token: str
    ranges: list[tuple[int, int | None]]
    computed_at: str


def tiers_plan(*, tenant, chunk: int | None = None) -> TierPlan:
    ranges = id_ranges(_partners(tenant), chunk or settings.PRM_TIER_CHUNK)
    return TierPlan(token=str(uuid.uuid4()), ranges=ranges, computed_at=timezone.now().isoformat())


@aggregate_memory()
def tiers_recompute(*, tenant, progress=None) -> dict:
    """Recompute every active partner's tier and health; keep a TierChange (HealthChange) where it changed.

    A fixed number of queries however many partners: three aggregates over the
    channel, the partners, the assessments, then batched writes. (On several
    workers the aggregates run a range of partners each, ``tiers_chunk_measure``,
    and ``tiers_join`` places and writes them all.)
    """
    now = timezone.now()
    measured, missing = _measured(tenant, _window(programme_for(tenant), now))
    if progress:
        progress(0.4)
    return _decide_and_write(tenant, now, measured, missing, progress)


@aggregate_memory()  # a range aggregates its sales as the whole channel does: hashed, not by index
def tiers_chunk_measure(*, tenant, plan: TierPlan, index: int) -> TierChunk:
    """Measure one range of a planned recompute and keep its facts until the join (measuring a
    range again replaces what it kept)."""
    since = _window(programme_for(tenant), parse_datetime(plan.computed_at))
    measured, missing = _measured(tenant, since, plan.ranges[index])
    chunk, _created = TierChunk.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, token=plan.token, index=index, defaults={"facts": measured, "unconverted": missing}
    )
    return chunk


@aggregate_memory()
@transaction.atomic
def tiers_join(*, tenant, plan: TierPlan) -> dict:
    """Place every partner the plan's ranges measured against the whole channel and write every
    tier and health, and remove the ranges' facts, in one transaction, as ``tiers_recompute`` does
    in one process."""
    chunks = TierChunk.objects.for_tenant(tenant).filter(token=plan.token)
    if chunks.count() != len(plan.ranges):
        raise RuntimeError(f"tier recompute: {chunks.count()} of {len(plan.ranges)} chunks measured")
    measured, missing = {}, []
    for chunk in chunks.order_by("index").iterator(chunk_size=1):
        measured.update((int(partner_id), facts) for partner_id, facts in chunk.facts.items())
        missing.append(chunk.unconverted)
    result = _decide_and_write(
        tenant, parse_datetime(plan.computed_at), measured, merged_unconverted(missing)
    )
    chunks.delete()
    stale = timezone.now() - timedelta(days=1)  # left by recomputes that died
    TierChunk.objects.for_tenant(tenant).filter(created_at__lt=stale).delete()
    return result


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
        ["computed_tier", "tier_axes", "tier_computed_at", "health", "health_reasons", "health_computed_at"],
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


def explain_words() -> dict:
    """The words of ``explain`` in the active language, translated once: a list explaining many
    partners passes them to each ``explain`` instead of a dozen translations per partner."""
    words = {
        "competitiveness": (_("strong"), _("weak")),
        "willingness": (_("high"), _("low")),
        "autonomy": (_("strong"), _("weak")),
    }
    return {
        "axes": {axis: (_(axis), good, bad) for axis, (good, bad) in words.items()},
        "no_data": _("%(axis)s: no data (%(word)s)"),
    }


def explain(why: dict, tier: str, words: dict | None = None) -> str:
    """'competitiveness 72.0 ≥ 50 (strong), willingness 40.0 < 50 (low), … → C'.

    ``words``: ``explain_words()``, read once where many partners are explained (a list page)."""
    words = words or explain_words()
    parts = []
    for axis, (name, good, bad) in words["axes"].items():  # the letters' order (jsonb keeps its own)
        if axis not in why["axes"]:
            continue
        values = why["axes"][axis]
        if values["score"] is None:
            parts.append(words["no_data"] % {"axis": name, "word": bad})
            continue
        sign = "≥" if values["strong"] else "<"
        word = good if values["strong"] else bad
        parts.append(f"{name} {values['score']:g} {sign} {values['threshold']:g} ({word})")
    return ", ".join(parts) + f" → {tier}"


@transaction.atomic
def tier_override(*, partner: Partner, actor, tier: str | None, reason: str = "") -> Partner:
    """Override the computed tier with a reason, or remove the override (``tier=None``)."""
    if tier is not None and tier not in Tier.values:
        raise ValidationError({"tier": [_("Use A, B, C or D.")]})
    if tier is not None and not reason.strip():
        raise ValidationError({"reason": [_("Say why the tier is overridden.")]})
    if tier is None and not partner.tier_override:
        return partner  # nothing to remove
    before = partner.tier
    partner.tier_override = tier or ""
    partner.tier_override_reason = reason if tier else ""
    partner.save(update_fields=["tier_override", "tier_override_reason"])
    TierChange.objects.for_tenant(partner.tenant_id).create(
        tenant_id=partner.tenant_id,
        partner=partner,
        from_tier=before or "",
        to_tier=partner.tier or "",
        is_override=True,
        reason=reason,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    tier_rights_notify(tenant=partner.tenant, moves=[(partner, before, partner.tier)])
    emit(
        tenant=partner.tenant,
        name="partner.tier_changed",
        data={
            "id": partner.pk,
            "from_tier": before or None,
            "to_tier": partner.tier or None,
            "override": bool(tier),
            "reason": reason,
        },
    )
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit.TIER_OVERRIDDEN if tier else PartnerAudit.TIER_OVERRIDE_REMOVED,
        target=partner,
        changes={"tier": [before or None, partner.tier or None]},
        reason=reason,
    )
    return partner


def tier_rights_notify(*, tenant, moves) -> int:
    """E-mail each moved partner's users what its new tier changes in its rights.

    ``moves`` is [(partner, from_tier, to_tier)] of tiers in force that changed; two queries
    (the partners' users, the tiers' benefits) and one e-mail per partner, after the commit."""
    from prm.notifications import notify

    from ..benefits import benefits_by_tier
    from ..selectors import partner_accounts

    moves = [(p, before, after) for p, before, after in moves if before != after and after]
    if not moves:
        return 0
    accounts = partner_accounts(tenant=tenant, partner_ids=[p.pk for p, _b, _a in moves])
    benefits = benefits_by_tier(tenant)
    sent = 0
    for partner, before, after in moves:
        if not accounts.get(partner.pk):
            continue
        old = {b.description for b in benefits.get(before or "", [])}
        new = benefits.get(after, [])
        sent += notify(
            tenant=tenant,
            users=accounts[partner.pk],
            category="tier_changes",
            subject=_("%(p)s is now in tier %(t)s") % {"p": partner.name, "t": after},
            template="notifications/tier_changed.txt",
            context={
                "partner": partner,
                "before": before,
                "after": after,
                "gained": [b for b in new if b.description not in old],
                "lost": sorted(old - {b.description for b in new}),
                "rights": new,
            },
        )
    return sent
