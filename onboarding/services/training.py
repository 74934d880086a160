"""Training completions, automatic certification, certificates, and the training KPI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import Stage
from partners.models import Partner
from partners.services.lifecycle import partner_transition

from ..models import Completion, Course


def required_courses(tenant):
    return Course.objects.for_tenant(tenant).filter(required_for_certification=True)


def valid_completions(tenant, on: date):
    return Completion.objects.for_tenant(tenant).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))


def training_status(partner, on: date | None = None) -> dict:
    """Which required courses the partner has completed (and are still valid), and which are to do."""
    on = on or timezone.localdate()
    courses = list(required_courses(partner.tenant))
    done = set(
        valid_completions(partner.tenant, on).filter(partner=partner).values_list("course_id", flat=True)
    )
    return {"done": [c for c in courses if c.pk in done], "todo": [c for c in courses if c.pk not in done]}


@transaction.atomic
def completion_record(
    *, course: Course, partner: Partner, person: str, actor, completed_on: date | None = None, user=None
):
    """Record that a person of the partner completed a course; certify the partner when it was the last one."""
    if not person.strip():
        raise ValidationError({"person": [_("Name who completed the course.")]})
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": [_("A course is completed today or before.")]})
    expires = completed_on + relativedelta(months=course.validity_months) if course.validity_months else None
    completion = Completion.objects.for_tenant(partner.tenant_id).create(
        tenant_id=partner.tenant_id, course=course, partner=partner, person=person.strip(), user=user,
        completed_on=completed_on, expires_on=expires,
    )  # fmt: skip
    certify_if_complete(partner=partner, actor=actor)
    return completion


def certify_if_complete(*, partner: Partner, actor) -> bool:
    """A signed partner whose required training is all complete becomes certified (automatically).

    A tenant without required courses certifies nobody by itself: there is no training to have
    completed, so a manager moves the partner by hand."""
    partner.refresh_from_db(fields=["stage"])
    status = training_status(partner)
    if partner.stage != Stage.SIGNED or status["todo"] or not status["done"]:
        return False
    partner_transition(
        partner=partner, to=Stage.CERTIFIED, actor=actor, automatic=True,
        note=_("All required training completed."),
    )  # fmt: skip
    return True


def certify_on_signing(partner, *, actor) -> None:
    """A partner that completed its training before signing is certified as it signs."""
    certify_if_complete(partner=partner, actor=actor)


def training_completion(tenant, period, kpi=None) -> dict[int, Decimal]:
    """KPI source ``training``: % of required courses each partner had valid at the period's end (one query)."""
    courses = list(required_courses(tenant).values_list("pk", flat=True))
    if not courses:
        return {}
    rows = (
        valid_completions(tenant, period.end).filter(course_id__in=courses, completed_on__lte=period.end)
        .values("partner_id").annotate(n=Count("course_id", distinct=True))
    )  # fmt: skip
    return {row["partner_id"]: Decimal(100) * row["n"] / len(courses) for row in rows}
