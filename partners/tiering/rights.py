"""The two sides of the programme for one partner: what it would take to reach the next tier, in
plain words, and what that tier adds to the partner's rights.

The next tier is the better tier nearest in effort: among the rows of the tenant's tier table that
give a better letter without lowering any of the partner's answers, the one that needs the fewest
axes raised (the better letter on a tie). A C partner (strong but unwilling) is one step from A, not
from B, whose rows are weak. Each axis to raise gets its score against the threshold and hints from
the inputs behind it. Apps add hints for an axis in their plugs module (``gap_hints = [GapHint(...)]``,
see ``prm.plugs``; onboarding names the required courses still to complete).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from partners.programme.settings import programme_for
from partners.tiering.benefit_keeping import with_keeping
from partners.tiering.benefits import benefits_by_tier
from partners.tiering.rule import AXES

_hints: dict[str, list[Callable]] = {axis: [] for axis in AXES}


@dataclass(frozen=True)
class GapHint:
    """``hint(tenant, partner, inputs) -> list[str]``: what the partner can do to raise ``axis``."""

    axis: str
    hint: Callable


def register_gap_hint(declared: GapHint) -> None:
    if declared.hint not in _hints[declared.axis]:
        _hints[declared.axis].append(declared.hint)


def _own_hints(tenant, partner, axis: str, inputs: dict) -> list[str]:
    hints = []
    if axis == "competitiveness":
        if "revenue_percentile" in inputs:
            hints.append(
                _("sell more (revenue at the %(p)sth percentile of partners)")
                % {"p": f"{inputs['revenue_percentile']:g}"}
            )
        if "win_rate" in inputs:
            hints.append(
                _("win more of the deals you register (%(r)s%% won)") % {"r": f"{100 * inputs['win_rate']:g}"}
            )
    elif axis == "willingness":
        scores = {i["input"]: i["score"] for i in inputs.get("willingness", [])}
        if "registrations" in scores:
            hints.append(
                _("register more deals (at the %(p)sth percentile)") % {"p": f"{scores['registrations']:g}"}
            )
        if scores.get("visits", 100) < 100:
            hints.append(_("meet the goals of our visits (%(r)s%% met)") % {"r": f"{scores['visits']:g}"})
        if scores.get("leads", 100) < 100:
            hints.append(
                _("accept the leads offered to you (%(r)s%% accepted)") % {"r": f"{scores['leads']:g}"}
            )
    elif axis == "autonomy":
        if "self_sourced_share" in inputs:
            hints.append(
                _("bring in more deals of your own (%(r)s%% found by you)")
                % {"r": f"{100 * inputs['self_sourced_share']:g}"}
            )
        else:
            hints.append(_("register the deals you find yourself"))
    return hints


def _target_row(table: dict, current: str, tier: str) -> str | None:
    """The row with a better letter than ``tier`` that raises the fewest axes from ``current``
    and lowers none (the better letter on a tie); None at the top."""
    candidates = []
    for key, letter in table.items():
        if not tier or letter >= tier:
            continue
        if any(key[i] in "WL" and current[i] in "SH" for i in range(3)):
            continue
        raises = sum(1 for i in range(3) if key[i] in "SH" and current[i] in "WL")
        candidates.append((raises, letter, key))
    return min(candidates)[2] if candidates else None


def tier_gap(tenant, partner) -> dict:
    """{"tier", "next_tier", "axes": [{axis, score, threshold, strong, raise}], "steps": [str],
    "rights": [benefits of the tier], "next_rights": [...], "adds": [what the next tier adds],
    "sentence"}: the partner's duties against the next tier, and the rights on each side, each
    benefit with how it is kept (``kept``, ``kept_note``: ``benefit_keeping.with_keeping``)."""
    programme = programme_for(tenant)
    why = partner.tier_axes or {}
    axes = why.get("axes", {})
    inputs = why.get("inputs", {})
    tier = partner.tier or ""
    current = why.get("rule") or "WLW"
    target = _target_row(programme.tier_table, current, tier)
    letter = programme.tier_table[target] if target else None
    benefits = benefits_by_tier(tenant)
    current_rights, next_rights = benefits.get(tier, []), benefits.get(letter, []) if letter else []
    # how each is kept, in the partner's words: applied automatically, or not (and what the rules give)
    with_keeping(tenant, [*current_rights, *next_rights], for_partner=True)
    rows, steps = [], []
    for index, axis in enumerate(AXES):
        values = axes.get(axis, {})
        to_raise = bool(target and target[index] in "SH" and current[index] in "WL")
        rows.append(
            {
                "axis": axis,
                "score": values.get("score"),
                "threshold": values.get("threshold", programme.thresholds.get(axis)),
                "strong": values.get("strong", False),
                "raise": to_raise,
            }
        )
        if to_raise:
            hints = _own_hints(tenant, partner, axis, inputs)
            for hint in _hints[axis]:
                hints += hint(tenant, partner, inputs)
            score = values.get("score")
            steps.append(
                {
                    "axis": axis,
                    "text": _("raise %(axis)s from %(score)s to %(threshold)s")
                    % {
                        "axis": _(axis),
                        "score": "—" if score is None else f"{score:g}",
                        "threshold": f"{float(values.get('threshold', programme.thresholds.get(axis))):g}",
                    },
                    "hints": hints,
                }
            )
    held = {b.kind: b for b in current_rights if b.kind != "other"}
    adds = [
        b
        for b in next_rights
        if b.kind == "other" or b.kind not in held or (b.value or 0) > (held[b.kind].value or 0)
    ]
    return {
        "tier": tier or None,
        "next_tier": letter,
        "axes": rows,
        "steps": steps,
        "rights": current_rights,
        "next_rights": next_rights,
        "adds": adds,
        "sentence": _sentence(tier, letter, steps, adds),
    }


def what_it_gives(benefit) -> str:
    """A benefit as the partner may count on it: its description, or what the rules give instead
    where a rule contradicts it (never a promise the rules do not keep)."""
    kept = getattr(benefit, "kept", None)
    if kept is not None and kept.contradicted:
        return kept.use.gives
    return benefit.description


def _sentence(tier, letter, steps, adds) -> str:
    if not tier:
        return _("Your tier is computed once your first data is in.")
    if letter is None and tier == "A":
        return _("You are in tier A, the programme's highest: keep its rights by keeping its results.")
    if letter is None:
        return _(
            "No better tier is within reach by raising your scores; keep your tier's rights by keeping its results."
        )
    if not steps:
        return _("Your scores already meet tier %(t)s's row; it shows at the next recompute.") % {"t": letter}
    parts = []
    for step in steps:
        parts.append(step["text"] + (" (" + "; ".join(step["hints"]) + ")" if step["hints"] else ""))
    text = _("To reach %(t)s: %(steps)s.") % {"t": letter, "steps": "; ".join(parts)}
    if adds:
        text += " " + _("Tier %(t)s adds: %(adds)s.") % {
            "t": letter,
            "adds": "; ".join(what_it_gives(b) for b in adds),
        }
    return text
