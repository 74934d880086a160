"""A tenant's partner-programme settings, with the playbook's defaults.

Stored under ``tenant.programme_settings["partners"]``; anything missing
falls back to the defaults below, so a new tenant works out of the box.
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
TIERING_SETTINGS = ("tier_table", "thresholds", "tier_window_days", "assessment_weight")


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
    )


def programme_save(*, tenant, actor, values: dict) -> PartnerProgramme:
    """Store the tenant's partner-programme settings (audited) and return them.

    ``values`` holds any of: time_boxes {stage: days or None}, protection_days,
    tier_window_days, assessment_weight (0–1), thresholds {axis: 0–100},
    tier_table {"SHS": "A", …} (any of the eight rows), deals_auto_win,
    gate_minimums {"selection": {criterion: 0–5}, "strategic": {…}}.
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
