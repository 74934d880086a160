"""A tenant's programme settings, with the playbook's defaults.

Every decision the programme makes is here (time boxes, tiering, gates, and
what scorecards and payouts read: the attainment cap, the dimension balance,
the payout run's warning thresholds, whether unsigned partners are paid), so
one page and one API endpoint (``programme/``) hold them. Stored under
``tenant.programme_settings["partners"]``; anything missing falls back to the
defaults below, so a new tenant works out of the box.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from partners.audit_actions import PartnerAudit

from .choices import Stage

DEFAULT_TIME_BOXES = {
    Stage.PROSPECTING: 7,  # the region's sourcing done within a week
    Stage.FIRST_TALKS: 30,  # first talks to selection within a month
    Stage.SELECTION: 90,  # selection to strategic within three months
}

#: Which tier each combination of (competitiveness strong, willingness high,
#: autonomy strong) gets. The four rows of the playbook's table, and for the
#: four it does not name the rule its letters stand for: competitiveness
#: decides A or C against B or D, willingness A or B against C or D
#: (strong and willing A, weak but willing B, strong but unwilling C, weak
#: and unwilling D); autonomy is shown with each partner but does not change
#: the letter. A tenant's admins may set every row (``tier_table``).
DEFAULT_TIER_TABLE = {
    "SHS": "A",
    "WHS": "B",
    "SLS": "C",
    "WLW": "D",
    "SHW": "A",
    "WHW": "B",
    "SLW": "C",
    "WLS": "D",
}
#: The lowest rating (1–5) a criterion of the latest assessment may have for the partner to pass
#: the stage's gate (selection → strategic, strategic review → signed); 0 or missing: no minimum.
#: Integrity is a hard stop by default: a candidate rated below 3 on it is not taken further.
DEFAULT_GATE_MINIMUMS = {"selection": {"integrity": 3}, "strategic": {}}

#: the combinations the playbook's table names (the others are fill-ins)
NAMED_ROWS = ("SHS", "WHS", "SLS", "WLW")
#: settings whose change needs the tiers recomputed
TIERING_SETTINGS = ("tier_table", "thresholds", "tier_window_days", "assessment_weight", "revenue_weight")


@dataclass(frozen=True)
class PartnerProgramme:
    time_boxes: dict = field(default_factory=lambda: dict(DEFAULT_TIME_BOXES))
    protection_days: int = 90
    tier_window_days: int = 365
    #: Share of the manager's latest assessment in each axis (the rest is measured).
    assessment_weight: float = 0.4
    thresholds: dict = field(
        default_factory=lambda: {"competitiveness": 50.0, "willingness": 50.0, "autonomy": 50.0}
    )
    tier_table: dict = field(default_factory=lambda: dict(DEFAULT_TIER_TABLE))
    #: A sale booked for a customer wins the selling partner's open registration for it.
    deals_auto_win: bool = False
    gate_minimums: dict = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_GATE_MINIMUMS.items()}
    )
    #: Share of the revenue percentile in measured competitiveness (the win rate has the rest).
    revenue_weight: float = 0.6
    #: Scorecards: attainment counts up to this percent of a target (beating one target does not
    #: make up for missing another).
    attainment_cap: int = 100
    #: Scorecards: the dimensions are balanced when their scores lie within this many points.
    balance_spread: int = 20
    #: Payout runs warn when a partner's total is above this many times its average of earlier runs …
    jump_factor: float = 3.0
    #: … and above this amount (in the tenant's currency).
    jump_minimum: int = 1000
    #: Payout runs pay partners that are not signed yet (with a warning); off: only signed and certified.
    pay_unsigned_partners: bool = True
    #: The vendor answers a deal registration within this many days (the scorecard measures it).
    answer_within_days: int = 2

    def time_box_days(self, stage: str) -> int | None:
        """Days allowed in the stage; None (stored as 0) means no time box."""
        return self.time_boxes.get(stage) or None


def programme_for(tenant) -> PartnerProgramme:
    stored = (tenant.programme_settings or {}).get("partners", {})
    defaults = PartnerProgramme()
    return PartnerProgramme(
        time_boxes={**defaults.time_boxes, **stored.get("time_boxes", {})},
        protection_days=int(stored.get("protection_days", defaults.protection_days)),
        tier_window_days=int(stored.get("tier_window_days", defaults.tier_window_days)),
        assessment_weight=float(stored.get("assessment_weight", defaults.assessment_weight)),
        thresholds={**defaults.thresholds, **stored.get("thresholds", {})},
        tier_table={**defaults.tier_table, **stored.get("tier_table", {})},
        deals_auto_win=bool(stored.get("deals_auto_win", defaults.deals_auto_win)),
        gate_minimums={
            kind: {**criteria, **stored.get("gate_minimums", {}).get(kind, {})}
            for kind, criteria in defaults.gate_minimums.items()
        },
        revenue_weight=float(stored.get("revenue_weight", defaults.revenue_weight)),
        attainment_cap=int(stored.get("attainment_cap", defaults.attainment_cap)),
        balance_spread=int(stored.get("balance_spread", defaults.balance_spread)),
        jump_factor=float(stored.get("jump_factor", defaults.jump_factor)),
        jump_minimum=int(stored.get("jump_minimum", defaults.jump_minimum)),
        pay_unsigned_partners=bool(stored.get("pay_unsigned_partners", defaults.pay_unsigned_partners)),
        answer_within_days=int(stored.get("answer_within_days", defaults.answer_within_days)),
    )


def programme_save(*, tenant, actor, values: dict) -> PartnerProgramme:
    """Store the tenant's partner-programme settings (audited) and return them.

    ``values`` holds any of: time_boxes {stage: days or None}, protection_days,
    tier_window_days, assessment_weight (0–1), thresholds {axis: 0–100},
    tier_table {"SHS": "A", …} (any of the eight rows), deals_auto_win,
    gate_minimums {"selection": {criterion: 0–5}, "strategic": {…}}, revenue_weight (0–1),
    attainment_cap (100–200 %), balance_spread (1–100 points), jump_factor (above 1),
    jump_minimum (0 or more), pay_unsigned_partners.
    """
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.translation import gettext as _

    from prm.audit.events import audit_record

    errors = {}
    boxes = {k: int(v or 0) for k, v in values.get("time_boxes", {}).items()}  # 0: no time box
    if any(v < 0 for v in boxes.values()):
        errors["time_boxes"] = [_("A time box cannot be negative.")]
    if not 0 <= float(values.get("assessment_weight", 0.4)) <= 1:
        errors["assessment_weight"] = [_("Use a share between 0 and 1.")]
    if not 0 <= float(values.get("revenue_weight", 0.6)) <= 1:
        errors["revenue_weight"] = [_("Use a share between 0 and 1.")]
    if not 100 <= int(values.get("attainment_cap", 100)) <= 200:
        errors["attainment_cap"] = [_("Cap attainment between 100% and 200% of the target.")]
    if not 1 <= int(values.get("balance_spread", 20)) <= 100:
        errors["balance_spread"] = [_("A spread of 1 to 100 points.")]
    if not float(values.get("jump_factor", 3)) > 1:
        errors["jump_factor"] = [_("Warn above more than 1× the partner's average.")]
    if not 1 <= int(values.get("answer_within_days", 2)) <= 60:
        errors["answer_within_days"] = [_("Between 1 and 60 days.")]
    if int(values.get("jump_minimum", 1000)) < 0:
        errors["jump_minimum"] = [_("An amount of 0 or more.")]
    if any(not 0 <= float(v) <= 100 for v in values.get("thresholds", {}).values()):
        errors["thresholds"] = [_("Thresholds are scores from 0 to 100.")]
    table = values.get("tier_table", {})
    if not isinstance(table, dict) or any(
        k not in DEFAULT_TIER_TABLE or v not in ("A", "B", "C", "D") for k, v in table.items()
    ):
        errors["tier_table"] = [
            _(
                "Map combinations like SHS (competitiveness strong, willingness high, autonomy strong) to A, B, C or D."
            )
        ]
    minimums = values.get("gate_minimums", {})
    if minimums:
        from .assessment_criteria import CRITERIA

        for kind, criteria in minimums.items():
            if kind not in DEFAULT_GATE_MINIMUMS or not isinstance(criteria, dict):
                errors["gate_minimums"] = [_("Set minimums for the selection or the strategic assessment.")]
                continue
            for criterion, minimum in criteria.items():
                if criterion not in CRITERIA[kind] or not isinstance(minimum, int) or not 0 <= minimum <= 5:
                    errors[f"gate_minimums.{kind}.{criterion}"] = [
                        _("A criterion of this assessment, minimum 0–5.")
                    ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = dict((tenant.programme_settings or {}).get("partners", {}))
        stored = {**before, **values}
        if "time_boxes" in values:
            stored["time_boxes"] = {**before.get("time_boxes", {}), **boxes}
        if "tier_table" in values:
            stored["tier_table"] = {**before.get("tier_table", {}), **table}
        if "thresholds" in values:
            stored["thresholds"] = {**before.get("thresholds", {}), **values["thresholds"]}
        if "gate_minimums" in values:
            earlier = before.get("gate_minimums", {})
            stored["gate_minimums"] = {k: {**earlier.get(k, {}), **v} for k, v in minimums.items()} | {
                k: v for k, v in earlier.items() if k not in minimums
            }
        tenant.programme_settings = {**(tenant.programme_settings or {}), "partners": stored}
        tenant.save(update_fields=["programme_settings"])
        changed = {k: [before.get(k), stored[k]] for k in stored if before.get(k) != stored[k]}
        audit_record(
            tenant=tenant, actor=actor, action=PartnerAudit.PROGRAMME_CHANGED, target=tenant, changes=changed
        )
    return programme_for(tenant)


def tiering_changed(before: PartnerProgramme, after: PartnerProgramme) -> bool:
    """Whether the tiers must be recomputed after a change of settings."""
    return any(getattr(before, name) != getattr(after, name) for name in TIERING_SETTINGS)


def tier_key_words(key: str) -> dict:
    """'SLW' → the three answers in words, for pages and the API."""
    from django.utils.translation import gettext as _

    return {
        "competitiveness": _("strong") if key[0] == "S" else _("weak"),
        "willingness": _("high") if key[1] == "H" else _("low"),
        "autonomy": _("strong") if key[2] == "S" else _("weak"),
    }
