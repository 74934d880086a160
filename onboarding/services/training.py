"""Training completions, automatic certification, certificates, and the training KPI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import Stage
from partners.lifecycle.moves import partner_transition
from partners.models import Partner
from partners.selectors import partner_accounts
from prm.notifications import notify
from prm.ranges import within

from ..models import Completion, Course
from ..programme import onboarding_programme_for


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
        tenant_id=partner.tenant_id,
        course=course,
        partner=partner,
        person=person.strip(),
        user=user,
        completed_on=completed_on,
        expires_on=expires,
    )
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
        partner=partner,
        to=Stage.CERTIFIED,
        actor=actor,
        automatic=True,
        note=_("All required training completed."),
    )
    return True


def certify_on_signing(partner, *, actor) -> None:
    """A partner that completed its training before signing is certified as it signs."""
    certify_if_complete(partner=partner, actor=actor)


def training_completion(tenant, period, kpi=None, partners=None) -> dict[int, Decimal]:
    """KPI source ``training``: % of required courses each partner had valid at the period's end (one query)."""
    courses = list(required_courses(tenant).values_list("pk", flat=True))
    if not courses:
        return {}
    rows = (
        within(valid_completions(tenant, period.end), partners)
        .filter(course_id__in=courses, completed_on__lte=period.end)
        .values("partner_id")
        .annotate(n=Count("course_id", distinct=True))
    )
    return {row["partner_id"]: Decimal(100) * row["n"] / len(courses) for row in rows}


def certifications_review(*, tenant, today: date | None = None) -> dict:
    """Daily: remind of required training about to expire, and act on training that has.

    1. Each partner whose valid completion of a required course expires within the programme's
       ``certification_reminder_days`` (and that has no later completion of that course) has its
       users e-mailed once, listing the courses and dates; the completions are marked reminded.
    2. A certified partner whose required training is no longer all valid goes back to *signed*
       when the programme's ``certification_lapse`` is ``back_to_signed`` (automatic, with the
       courses named); with ``keep`` it stays certified while its training page shows the lapsed course.
       Either way the lapsed course stops counting in the training KPI and in willingness at the
       next recompute.

    A fixed number of queries plus one stage change per lapsed partner.
    """
    today = today or timezone.localdate()
    programme = onboarding_programme_for(tenant)
    required = list(required_courses(tenant).values_list("pk", flat=True))
    result = {"reminded": 0, "lapsed": 0}
    if not required:
        return result
    if programme.certification_reminder_days:
        later = Completion.objects.for_tenant(tenant).filter(
            partner_id=OuterRef("partner_id"),
            course_id=OuterRef("course_id"),
            completed_on__gt=OuterRef("completed_on"),
        )
        expiring = list(
            Completion.objects.for_tenant(tenant)
            .filter(
                course_id__in=required,
                reminded_on__isnull=True,
                expires_on__gte=today,
                expires_on__lte=today + relativedelta(days=programme.certification_reminder_days),
            )
            .exclude(Exists(later))
            .select_related("course", "partner")
            .order_by("partner_id", "expires_on")
        )
        by_partner = {}
        for completion in expiring:
            by_partner.setdefault(completion.partner_id, []).append(completion)
        accounts = partner_accounts(tenant=tenant, partner_ids=by_partner)
        for partner_id, completions in by_partner.items():
            result["reminded"] += notify(
                tenant=tenant,
                users=accounts.get(partner_id, []),
                category="certification",
                subject=_("Training of %(p)s expires soon") % {"p": completions[0].partner.name},
                template="notifications/certification_expiring.txt",
                context={"partner": completions[0].partner, "completions": completions},
            )
        Completion.objects.for_tenant(tenant).filter(pk__in=[c.pk for c in expiring]).update(
            reminded_on=today
        )
    if programme.certification_lapse == "back_to_signed":
        # a certified partner lapses when a required course it had completed has expired and was not
        # completed again (a course added later, or a certification given by hand, is not a lapse)
        renewed = valid_completions(tenant, today).filter(
            partner_id=OuterRef("partner_id"), course_id=OuterRef("course_id")
        )
        expired = (
            Completion.objects.for_tenant(tenant)
            .filter(course_id__in=required, expires_on__lt=today, partner__stage=Stage.CERTIFIED)
            .exclude(Exists(renewed))
            .values_list("partner_id", "course__name")
            .order_by("partner_id", "course__name")
        )
        courses: dict[int, list[str]] = {}
        for partner_id, course in expired:
            if course not in courses.setdefault(partner_id, []):
                courses[partner_id].append(course)
        for partner in Partner.objects.for_tenant(tenant).filter(pk__in=list(courses)):
            partner_transition(
                partner=partner,
                to=Stage.SIGNED,
                actor=None,
                automatic=True,
                note=_("Required training expired: %(courses)s. Complete it again to be certified.")
                % {"courses": ", ".join(courses[partner.pk])},
            )
            result["lapsed"] += 1
    return result


def training_willingness(tenant, since=None) -> dict[int, float]:
    """Willingness input ``training``: % of the required courses each partner holds valid today.

    Measured for the partners expected to train (signed and certified) and any other that has
    completed a required course; one query. No required courses: nothing to measure."""
    courses = list(required_courses(tenant).values_list("pk", flat=True))
    if not courses:
        return {}
    held = dict(
        valid_completions(tenant, timezone.localdate())
        .filter(course_id__in=courses)
        .values("partner_id")
        .annotate(n=Count("course_id", distinct=True))
        .values_list("partner_id", "n")
    )
    expected = Partner.objects.for_tenant(tenant).filter(
        Q(stage__in=(Stage.SIGNED, Stage.CERTIFIED)) | Q(pk__in=list(held))
    )
    return {pk: 100.0 * held.get(pk, 0) / len(courses) for pk in expected.values_list("pk", flat=True)}


def expiring_training(tenant, now, programme) -> dict[int, dict]:
    """Health signal ``training_expiring``: a required course's valid completion ends within
    onboarding's reminder days (30 when reminders are off) and no later completion renews it.
    ``programme`` is partners' (every health signal is given it); this one reads onboarding's own."""
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    days = onboarding_programme_for(tenant).certification_reminder_days or 30
    later = Completion.objects.for_tenant(tenant).filter(
        partner_id=OuterRef("partner_id"),
        course_id=OuterRef("course_id"),
        completed_on__gt=OuterRef("completed_on"),
    )
    rows = (
        Completion.objects.for_tenant(tenant)
        .filter(
            course__required_for_certification=True,
            expires_on__gte=today,
            expires_on__lte=today + relativedelta(days=days),
        )
        .exclude(Exists(later))
        .order_by("partner_id", "expires_on")
        .values_list("partner_id", "course__name", "expires_on")
    )
    found = {}
    for partner_id, course, expires in rows:
        found.setdefault(partner_id, {"course": course, "date": expires.isoformat()})
    return found


def training_gap_hint(tenant, partner, inputs) -> list[str]:
    """Gap hint for willingness: the required courses the partner has still to complete."""
    todo = training_status(partner)["todo"]
    if not todo:
        return []
    return [_("complete the required courses: %(c)s") % {"c": ", ".join(c.name for c in todo)}]
