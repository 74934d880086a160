"""Partners' programme settings: the life cycle's time boxes and gates, deals, tiering and health.

Stored under ``tenant.programme_settings["partners"]``; anything missing falls back to the
playbook's defaults below, so a new tenant works out of the box. ``programme_for(tenant)`` reads
them. Other apps own their settings (``prm.programme`` lists them); they read partners' only where
they depend on the life cycle: which stages may sell (``selling_stages``: deals, sales, leads).

``programme_save`` stores a change of the programme page or of ``programme/``: any names of any
app's section, each validated and stored by its app (``prm.programme.programme_store``), with one
entry in the audit trail.

Until a later release drops them, a tenant's stored section may still hold the other apps'
settings as the previous release kept them here (copied to their own keys by incentives 0013,
scorecards 0013 and onboarding 0005, for the previous release's code during an upgrade); ``read``
ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import Stage
from partners.lifecycle.criteria import CRITERIA
from partners.tiering.rule import EQUAL_WEIGHTS
from prm.audit.events import audit_record
from prm.programme import programme_store, stored_section

#: where partners' settings are stored: ``tenant.programme_settings[KEY]``
KEY = "partners"

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

#: Stages whose partners may register deals and be booked sales: strategic and later (a candidate
#: still in talks has no right to either; the payout run's audit also flags unsigned sellers).
DEFAULT_SELLING_STAGES = (Stage.STRATEGIC, Stage.SIGNED, Stage.CERTIFIED)
#: What feeds measured willingness, with its weight (0: not counted). ``registrations``: the
#: partner's deal registrations as a percentile of the sellers'; ``visits``: the share of visits
#: that met their goal; ``training``: the share of required courses with a valid completion
#: (signed and certified partners, and any that completed one); ``leads``: the share of leads
#: offered that the partner accepted. An input without data for a partner is left out of its mean.
DEFAULT_WILLINGNESS_WEIGHTS = EQUAL_WEIGHTS

#: the combinations the playbook's table names (the others are fill-ins)
NAMED_ROWS = ("SHS", "WHS", "SLS", "WLW")
#: settings whose change needs the tiers recomputed
TIERING_SETTINGS = (
    "tier_table",
    "thresholds",
    "tier_window_days",
    "assessment_weight",
    "revenue_weight",
    "willingness_weights",
)


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
    #: Stages that may register deals and be booked sales.
    selling_stages: tuple = DEFAULT_SELLING_STAGES
    #: Inputs of measured willingness and their weights (see DEFAULT_WILLINGNESS_WEIGHTS).
    willingness_weights: dict = field(default_factory=lambda: dict(DEFAULT_WILLINGNESS_WEIGHTS))
    #: Health: a selling partner with no sale and no deal registration for this many days is quiet.
    health_quiet_days: int = 90
    #: Health: a return (negative sale) of at least this amount in the last 90 days is a warning.
    health_return_amount: int = 5000
    #: The playbook's cadence: new candidates a channel manager visits per working day.
    visit_cadence_per_day: int = 3

    def sells(self, stage: str) -> bool:
        """Whether a partner in ``stage`` may register deals and be booked sales."""
        return stage in self.selling_stages

    def time_box_days(self, stage: str) -> int | None:
        """Days allowed in the stage; None (stored as 0) means no time box."""
        return self.time_boxes.get(stage) or None


#: the names partners owns in ``programme/`` and on the programme page
NAMES = (
    "time_boxes",
    "protection_days",
    "deals_auto_win",
    "tier_window_days",
    "assessment_weight",
    "thresholds",
    "tier_table",
    "gate_minimums",
    "revenue_weight",
    "selling_stages",
    "willingness_weights",
    "health_quiet_days",
    "health_return_amount",
    "visit_cadence_per_day",
)


def read(stored: dict) -> PartnerProgramme:
    """Partners' settings from what is stored under ``KEY``, the defaults filling what is not."""
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
        selling_stages=tuple(stored.get("selling_stages", defaults.selling_stages)),
        willingness_weights={**defaults.willingness_weights, **stored.get("willingness_weights", {})},
        health_quiet_days=int(stored.get("health_quiet_days", defaults.health_quiet_days)),
        health_return_amount=int(stored.get("health_return_amount", defaults.health_return_amount)),
        visit_cadence_per_day=int(stored.get("visit_cadence_per_day", defaults.visit_cadence_per_day)),
    )


def programme_for(tenant) -> PartnerProgramme:
    """The tenant's partners settings (the life cycle, deals, tiering, health)."""
    return read(stored_section(tenant, KEY))


def willingness_input_labels() -> dict:
    """The willingness inputs in words, for the settings page, the tiers page and explanations."""
    return {
        "registrations": _("deal registrations"),
        "visits": _("visits that met their goal"),
        "training": _("required training completed"),
        "leads": _("leads accepted"),
    }


def not_selling_message(partner, programme: PartnerProgramme) -> str:
    """Why a partner may not register deals or be booked sales (the programme's selling stages)."""
    return _(
        "%(partner)s is at the stage %(stage)s; the programme lets partners register deals and book "
        "sales at %(stages)s (programme settings)."
    ) % {
        "partner": partner.name,
        "stage": Stage(partner.stage).label,
        "stages": ", ".join(str(Stage(s).label) for s in programme.selling_stages),
    }


def validate(values: dict) -> dict:
    """The errors of a change of partners' settings, ``{name: [message]}`` ({} when none).

    ``values`` holds any of: time_boxes {stage: days or None}, protection_days, tier_window_days,
    assessment_weight (0–1), thresholds {axis: 0–100}, tier_table {"SHS": "A", …} (any of the eight
    rows), deals_auto_win, gate_minimums {"selection": {criterion: 0–5}, "strategic": {…}},
    revenue_weight (0–1), selling_stages [stage, …], willingness_weights {input: 0–10},
    health_quiet_days (7–730), health_return_amount (0 or more), visit_cadence_per_day (0–20).
    """
    errors = {}
    if any(int(v or 0) < 0 for v in values.get("time_boxes", {}).values()):
        errors["time_boxes"] = [_("A time box cannot be negative.")]
    if not 0 <= float(values.get("assessment_weight", 0.4)) <= 1:
        errors["assessment_weight"] = [_("Use a share between 0 and 1.")]
    if not 0 <= float(values.get("revenue_weight", 0.6)) <= 1:
        errors["revenue_weight"] = [_("Use a share between 0 and 1.")]
    if any(stage not in Stage.values for stage in values.get("selling_stages", ())) or (
        "selling_stages" in values and not values["selling_stages"]
    ):
        errors["selling_stages"] = [_("Name one or more stages of the life cycle.")]
    weights = values.get("willingness_weights", {})
    if not isinstance(weights, dict) or any(
        k not in DEFAULT_WILLINGNESS_WEIGHTS or not 0 <= float(v) <= 10 for k, v in weights.items()
    ):
        errors["willingness_weights"] = [
            _("Weights from 0 to 10 for %(inputs)s.") % {"inputs": ", ".join(DEFAULT_WILLINGNESS_WEIGHTS)}
        ]
    if not 7 <= int(values.get("health_quiet_days", 90)) <= 730:
        errors["health_quiet_days"] = [_("Between 7 and 730 days.")]
    if not 0 <= int(values.get("visit_cadence_per_day", 3)) <= 20:
        errors["visit_cadence_per_day"] = [_("Between 0 and 20 visits a day.")]
    if int(values.get("health_return_amount", 5000)) < 0:
        errors["health_return_amount"] = [_("An amount of 0 or more.")]
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
    for kind, criteria in values.get("gate_minimums", {}).items():
        if kind not in DEFAULT_GATE_MINIMUMS or not isinstance(criteria, dict):
            errors["gate_minimums"] = [_("Set minimums for the selection or the strategic assessment.")]
            continue
        for criterion, minimum in criteria.items():
            if criterion not in CRITERIA[kind] or not isinstance(minimum, int) or not 0 <= minimum <= 5:
                errors[f"gate_minimums.{kind}.{criterion}"] = [
                    _("A criterion of this assessment, minimum 0–5.")
                ]
    return errors


def store(before: dict, values: dict) -> dict:
    """Partners' stored settings after a valid change: the nested ones (time boxes, the tier table,
    weights, thresholds, gate minimums) merged key by key, a time box of None or 0 stored as 0."""
    stored = {**before, **values}
    if "time_boxes" in values:
        boxes = {k: int(v or 0) for k, v in values["time_boxes"].items()}  # 0: no time box
        stored["time_boxes"] = {**before.get("time_boxes", {}), **boxes}
    for name in ("tier_table", "willingness_weights", "thresholds"):
        if name in values:
            stored[name] = {**before.get(name, {}), **values[name]}
    if "selling_stages" in values:
        stored["selling_stages"] = list(values["selling_stages"])
    if "gate_minimums" in values:
        earlier, minimums = before.get("gate_minimums", {}), values["gate_minimums"]
        stored["gate_minimums"] = {k: {**earlier.get(k, {}), **v} for k, v in minimums.items()} | {
            k: v for k, v in earlier.items() if k not in minimums
        }
    return stored


def programme_save(*, tenant, actor, values: dict) -> PartnerProgramme:
    """Store a change of the programme's settings (audited) and return partners' settings after it.

    ``values`` holds names of any app's section (``prm.programme``): partners' (see ``validate``),
    scorecards', incentives', onboarding's. Each app validates and stores its own; with any error
    nothing is stored and the ``ValidationError`` names each bad field.
    """
    with transaction.atomic():
        changes = programme_store(tenant=tenant, values=values)
        audit_record(
            tenant=tenant, actor=actor, action=PartnerAudit.PROGRAMME_CHANGED, target=tenant, changes=changes
        )
    return programme_for(tenant)


def tiering_changed(before: PartnerProgramme, after: PartnerProgramme) -> bool:
    """Whether the tiers must be recomputed after a change of settings."""
    return any(getattr(before, name) != getattr(after, name) for name in TIERING_SETTINGS)


def tier_key_words(key: str) -> dict:
    """'SLW' → the three answers in words, for pages and the API."""
    return {
        "competitiveness": _("strong") if key[0] == "S" else _("weak"),
        "willingness": _("high") if key[1] == "H" else _("low"),
        "autonomy": _("strong") if key[2] == "S" else _("weak"),
    }
