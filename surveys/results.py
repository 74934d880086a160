"""Partner survey results: promoters, passives and detractors, NPS and comments, per tier, region
and operating model, and the trend across rounds.

Anonymity: a group (and the whole round) with fewer answers than the tenant's
``survey_min_group`` shows no counts, no NPS and no comments, only that it has too few answers.
Comments are shown without any name (answers keep none, see ``models``), newest last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from partners.choices import OperatingModel, Tier

from .models import PartnerSurvey, PartnerSurveyAnswer
from .programme import survey_programme_for

DIMENSIONS = ("tier", "region", "operating_model")


@dataclass
class GroupResult:
    """One group's figures; ``hidden`` when it has fewer answers than the minimum (then only ``label``
    and ``hidden`` mean anything)."""

    key: str
    label: str
    answers: int
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    nps: Decimal | None = None
    comments: list[str] = field(default_factory=list)
    hidden: bool = False


def nps_of(promoters: int, detractors: int, total: int) -> Decimal | None:
    """% promoters minus % detractors, to one place; None without answers."""
    if not total:
        return None
    return (Decimal(100) * (promoters - detractors) / total).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _label(dimension: str, key: str) -> str:
    if dimension == "tier":
        return str(Tier(key).label) if key in Tier.values else key or "—"
    if dimension == "operating_model":
        return str(OperatingModel(key).label) if key in OperatingModel.values else key or "—"
    return key or "—"


def _group(rows, *, key, label, minimum) -> GroupResult:
    total = len(rows)
    if total < minimum:
        return GroupResult(key=key, label=label, answers=total, hidden=True)
    promoters = sum(1 for r in rows if r.score >= 9)
    detractors = sum(1 for r in rows if r.score <= 6)
    return GroupResult(
        key=key,
        label=label,
        answers=total,
        promoters=promoters,
        passives=total - promoters - detractors,
        detractors=detractors,
        nps=nps_of(promoters, detractors, total),
        comments=[r.comment for r in rows if r.comment],
    )


def survey_results(survey: PartnerSurvey) -> dict:
    """``{"minimum", "overall": GroupResult, "by": {dimension: [GroupResult]}, "questions": [...]}``:
    the round's figures, each group hidden under the minimum. ``questions`` summarises the extra
    questions over the whole round (hidden under the minimum too): a scale's mean, yes/no counts,
    texts listed."""
    minimum = survey_programme_for(survey.tenant).survey_min_group
    rows = list(PartnerSurveyAnswer.objects.for_tenant(survey.tenant).filter(survey=survey).order_by("id"))
    overall = _group(rows, key="all", label="", minimum=minimum)
    by = {}
    for dimension in DIMENSIONS:
        buckets: dict[str, list] = {}
        for row in rows:
            buckets.setdefault(getattr(row, dimension), []).append(row)
        by[dimension] = [
            _group(items, key=key, label=_label(dimension, key), minimum=minimum)
            for key, items in sorted(buckets.items())
        ]
    return {"minimum": minimum, "overall": overall, "by": by, "questions": _questions(survey, rows, overall)}


def _questions(survey, rows, overall) -> list[dict]:
    summary = []
    for i, question in enumerate(survey.questions):
        item = {"text": question["text"], "kind": question["kind"], "hidden": overall.hidden}
        if not overall.hidden:
            values = [r.answers[i] for r in rows if i < len(r.answers) and r.answers[i] is not None]
            if question["kind"] == "scale":
                item["mean"] = (
                    (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                    if values
                    else None
                )
            elif question["kind"] == "yesno":
                item["yes"] = sum(1 for v in values if v is True)
                item["no"] = sum(1 for v in values if v is False)
            else:
                item["texts"] = [v for v in values if v]
            item["answers"] = len(values)
        summary.append(item)
    return summary


def trend(tenant) -> list[dict]:
    """Every sent round, oldest first: its answers and, at or above the minimum, its NPS and
    groups' counts (one aggregate query)."""
    minimum = survey_programme_for(tenant).survey_min_group
    rounds = (
        PartnerSurvey.objects.for_tenant(tenant)
        .filter(sent_at__isnull=False)
        .annotate(
            n=Count("answers"),
            promoters=Count("answers", filter=Q(answers__score__gte=9)),
            detractors=Count("answers", filter=Q(answers__score__lte=6)),
        )
        .order_by("sent_at", "id")
    )
    points = []
    for r in rounds:
        hidden = r.n < minimum
        points.append(
            {
                "survey": r.pk,
                "title": r.title,
                "sent_at": r.sent_at,
                "answers": r.n,
                "hidden": hidden,
                "promoters": None if hidden else r.promoters,
                "passives": None if hidden else r.n - r.promoters - r.detractors,
                "detractors": None if hidden else r.detractors,
                "nps": None if hidden else nps_of(r.promoters, r.detractors, r.n),
            }
        )
    return points
