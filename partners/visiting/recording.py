"""Checking what a scripted visit records: its steps, the partner's concerns, where it stopped."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.choices import VisitKind
from partners.visiting.script import CONCERN_KEYS, STEP_KEYS


def clean_script(script) -> dict:
    """``{step: {"done": bool, "note": str}}`` in the script's order, unknown steps refused."""
    if not script:
        return {}
    if not isinstance(script, dict):
        raise ValidationError({"script": [_("Give each step as {step: {done, note}}.")]})
    unknown = sorted(str(key) for key in script if key not in STEP_KEYS)
    if unknown:
        raise ValidationError({"script": [_("Unknown steps: %(steps)s.") % {"steps": ", ".join(unknown)}]})
    cleaned = {}
    for key in STEP_KEYS:
        entry = script.get(key)
        if entry is None:
            continue
        if not isinstance(entry, dict):
            raise ValidationError({"script": [_("Give each step as {done, note}.")]})
        cleaned[key] = {"done": bool(entry.get("done")), "note": str(entry.get("note") or "").strip()}
    return cleaned


def clean_concerns(concerns) -> dict:
    """``{concern: 1–5}`` for any of the four concerns; unrated ones left out."""
    if not concerns:
        return {}
    if not isinstance(concerns, dict) or any(key not in CONCERN_KEYS for key in concerns):
        raise ValidationError(
            {"concerns": [_("Rate any of %(keys)s from 1 to 5.") % {"keys": ", ".join(CONCERN_KEYS)}]}
        )
    cleaned = {}
    for key in CONCERN_KEYS:
        value = concerns.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError({"concerns": [_("A rating is a whole number from 1 to 5.")]})
        cleaned[key] = value
    return cleaned


def clean_outcome(*, kind: str, goal_met: bool, stopped_at: str, missed_why: str, agreed_points: str) -> None:
    """Where a visit stopped names a step of the script; a missed goal's step and reason only when
    the goal was missed; a senior-leadership meeting records its agreed points."""
    errors = {}
    if stopped_at and stopped_at not in STEP_KEYS:
        errors["stopped_at"] = [_("Name a step of the script.")]
    if goal_met and (stopped_at or missed_why):
        errors["goal_met"] = [_("The goal was met: leave where it stopped and why empty.")]
    if kind == VisitKind.LEADERSHIP and not agreed_points.strip():
        errors["agreed_points"] = [_("A senior-leadership meeting records the points agreed.")]
    if errors:
        raise ValidationError(errors)


def clean_objection_step(index: int, step: str) -> str:
    step = step or ""
    if step and step not in STEP_KEYS:
        raise ValidationError(
            {"objections": [_("Objection %(n)d: unknown step “%(s)s”.") % {"n": index + 1, "s": step}]}
        )
    return step
