"""Recording selection, strategic and tier assessments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import AssessmentKind
from partners.lifecycle.criteria import CANDIDATE_NEEDS, CRITERIA
from partners.models import Assessment, Partner
from prm.audit.events import audit_record


def clean_ratings(kind: str, ratings: dict) -> dict:
    """Every criterion of the kind rated 1–5; errors name the criterion."""
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": [_("Unknown assessment kind.")]})
    if not isinstance(ratings, dict):
        raise ValidationError({"ratings": [_("Give the ratings as an object: criterion → 1–5.")]})
    criteria = CRITERIA[kind]
    errors, clean = {}, {}
    for key in ratings:
        if key not in criteria:
            errors[f"ratings.{key}"] = [_("Not a criterion of this assessment.")]
    for key in criteria:
        raw = ratings.get(key)
        if isinstance(raw, dict):
            score, note = raw.get("score"), str(raw.get("note") or "")
        else:
            score, note = raw, ""
        if isinstance(score, str) and score.strip().isdigit():
            score = int(score)
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            errors[f"ratings.{key}"] = [_("Rate this from 1 to 5.")]
            continue
        clean[key] = {"score": score, "note": note}
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def assessment_record(
    *, partner: Partner, actor, kind: str, ratings: dict, date=None, needs=None, note: str = ""
) -> Assessment:
    clean = clean_ratings(kind, ratings)
    if not isinstance(needs or [], list) or not all(isinstance(n, str) for n in needs or []):
        raise ValidationError({"needs": [_("Give the needs as a list of codes.")]})
    unknown_needs = [n for n in (needs or []) if n not in CANDIDATE_NEEDS]
    if unknown_needs:
        raise ValidationError({"needs": [_("Unknown need: %(n)s") % {"n": ", ".join(unknown_needs)}]})
    assessment = Assessment.objects.for_tenant(partner.tenant_id).create(
        tenant_id=partner.tenant_id,
        partner=partner,
        kind=kind,
        ratings=clean,
        date=date or timezone.localdate(),
        needs=list(needs or []),
        note=note,
        assessed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit(f"assessment.{kind}"),
        target=partner,
        changes={"average": [None, assessment.average]},
    )
    return assessment
