"""The life cycle's gates: what a partner needs before it may enter a stage.

A gate is a function ``(partner, *, automatic) -> message or None``
(``automatic`` is true when the system moves the partner, e.g. onboarding
certifying it). A message may be an ``Unmet``: text that also names its fix
(``contact``, ``visit``, ``selection_assessment``, …), so pages can link to
the place where the missing thing is done. Gates are registered
per target stage, declared in the apps' plugs modules (``stage_gates =
[StageGate(...)]``, see ``prm.plugs``): partners declares its own, later apps
add theirs (onboarding adds "a signed agreement" to ``signed``). A refused
move lists every unmet gate of every stage it would pass, at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from partners.choices import INACTIVE, PIPELINE, AssessmentKind, Stage
from partners.lifecycle.criteria import CRITERIA
from partners.programme.settings import programme_for

Gate = Callable[..., "str | None"]


class Unmet(str):
    """A gate's message that knows where it is fixed (``fix``: a key the pages map to a link)."""

    fix: str = ""

    def __new__(cls, message, fix: str = ""):
        text = super().__new__(cls, message)
        text.fix = fix
        return text


def next_stage(stage: str) -> str | None:
    """The stage a person moves a partner on to from ``stage`` (one function for every page).

    The next pipeline stage, except ``certified`` (reached by completing the required
    training, never by hand); from lost or dormant, back to the start. None at the end.
    """
    if stage in INACTIVE:
        return Stage.PROSPECTING
    if stage not in PIPELINE or PIPELINE.index(stage) + 1 == len(PIPELINE):
        return None
    following = PIPELINE[PIPELINE.index(stage) + 1]
    return None if following == Stage.CERTIFIED else following


def is_backward(from_stage: str, to_stage: str) -> bool:
    """A move back down the pipeline (it needs a reason, and pages ask before making it)."""
    return (
        from_stage in PIPELINE
        and to_stage in PIPELINE
        and PIPELINE.index(to_stage) < PIPELINE.index(from_stage)
    )


@dataclass(frozen=True)
class StageGate:
    """A gate of ``stage``: what a partner needs before it may enter it (an app's ``stage_gates``)."""

    stage: str
    gate: Gate


@dataclass(frozen=True)
class OnEnter:
    """``hook(partner, *, actor)`` runs when a partner has entered ``stage`` (an app's ``on_enter``):
    inside the move's transaction, after the move has finished and recorded what it tells (history,
    audit, events, e-mails). A hook that moves the partner on makes a move of its own that follows
    this one."""

    stage: str
    hook: Callable


_gates: dict[str, list[Gate]] = defaultdict(list)


def register_gate(declared: StageGate) -> None:
    if declared.gate not in _gates[declared.stage]:
        _gates[declared.stage].append(declared.gate)


_on_enter: dict[str, list] = defaultdict(list)


def register_on_enter(declared: OnEnter) -> None:
    if declared.hook not in _on_enter[declared.stage]:
        _on_enter[declared.stage].append(declared.hook)


def run_on_enter(partner, stage: str, *, actor) -> int:
    """Run the hooks of ``stage`` in the order they were registered; returns how many ran."""
    hooks = list(_on_enter[stage])
    for hook in hooks:
        hook(partner, actor=actor)
    return len(hooks)


def gates_for(stage: str) -> list[Gate]:
    return list(_gates[stage])


def stages_passed(from_stage: str, to_stage: str) -> list[str]:
    """The pipeline stages a forward move enters, in order (empty if not forward).

    Coming back from lost or dormant counts as starting over from the first
    stage: the partner must meet every gate up to the stage it returns to.
    """
    if to_stage not in PIPELINE:
        return []
    if from_stage in INACTIVE:
        return PIPELINE[1 : PIPELINE.index(to_stage) + 1]
    if from_stage not in PIPELINE:
        return []
    start, end = PIPELINE.index(from_stage), PIPELINE.index(to_stage)
    return PIPELINE[start + 1 : end + 1] if end > start else []


def unmet_gates(partner, to_stage: str, *, automatic: bool = False) -> list[str]:
    """Every reason the partner may not move forward to ``to_stage``."""
    problems = []
    for stage in stages_passed(partner.stage, to_stage):
        for gate in gates_for(stage):
            message = gate(partner, automatic=automatic)
            if message:
                problems.append(message)
    return problems


def is_inactive(stage: str) -> bool:
    return stage in INACTIVE


# --- the partners app's own gates -----------------------------------------


def _rows(partner, relation: str):
    """The partner's related rows, scoped by the partner's own tenant (not the ambient scope)."""
    model = getattr(type(partner), relation).rel.related_model
    return model.objects.for_tenant(partner.tenant_id).filter(partner=partner)


def needs_contact(partner, **context):
    if not _rows(partner, "contacts").exists():
        return Unmet(_("First talks need at least one contact person."), "contact")
    return None


def needs_visit(partner, **context):
    if not _rows(partner, "visits").exists():
        return Unmet(_("Selection needs at least one logged visit."), "visit")
    return None


def _falls_short(partner, kind: str) -> list[str]:
    """The criteria of the partner's latest assessment of ``kind`` rated below the tenant's minimum."""

    minimums = {k: v for k, v in programme_for(partner.tenant).gate_minimums.get(kind, {}).items() if v}
    if not minimums:
        return []
    latest = _rows(partner, "assessments").filter(kind=kind).order_by("-date", "-id").first()
    short = []
    for criterion, minimum in minimums.items():
        rating = (latest.ratings.get(criterion) or {}) if latest else {}
        score = rating.get("score") if isinstance(rating, dict) else rating
        if score is None or int(score) < int(minimum):
            short.append(
                _("%(criterion)s rated %(score)s, needs %(minimum)s")
                % {
                    "criterion": CRITERIA[kind].get(criterion, criterion),
                    "score": score or "—",
                    "minimum": minimum,
                }
            )
    return short


def needs_selection_assessment(partner, **context):
    if not _rows(partner, "assessments").filter(kind=AssessmentKind.SELECTION).exists():
        return Unmet(_("Strategic needs a selection assessment."), "selection_assessment")
    short = _falls_short(partner, AssessmentKind.SELECTION)
    if short:
        return Unmet(
            _("The latest selection assessment falls short: %(criteria)s.") % {"criteria": "; ".join(short)},
            "selection_assessment",
        )
    return None


def needs_lead_approval(partner, **context):
    if partner.lead_approved_at is None:
        return Unmet(_("Strategic needs the regional lead's approval."), "lead_approval")
    return None


def needs_strategic_assessment(partner, **context):
    if not _rows(partner, "assessments").filter(kind=AssessmentKind.STRATEGIC).exists():
        return Unmet(_("Signed needs a strategic review."), "strategic_assessment")
    short = _falls_short(partner, AssessmentKind.STRATEGIC)
    if short:
        return Unmet(
            _("The latest strategic review falls short: %(criteria)s.") % {"criteria": "; ".join(short)},
            "strategic_assessment",
        )
    return None


def certified_by_training(partner, *, automatic=False, **context):
    if not automatic:
        return Unmet(_("Certified is reached by completing the required training, not by hand."), "training")
    return None
