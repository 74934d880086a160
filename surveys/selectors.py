"""Reading surveys, always within the tenant (and for a partner user, its partner)."""

from django.db.models import Count, OuterRef, Q, Subquery

from prm.tenancy.access import restrict_to_access

from .models import CustomerSurvey, PartnerSurvey, PartnerSurveyInvitation


def customer_surveys(*, access):
    """The customer surveys the caller may read: staff every one, a partner user its partner's."""
    return restrict_to_access(
        CustomerSurvey.objects.for_tenant(access.tenant).select_related("partner"), access, "partner"
    )


def customer_summary(queryset) -> dict:
    """Sent, answered, promoters, passives, detractors and NPS of ``queryset``'s answered surveys."""
    counts = queryset.aggregate(
        sent=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        promoters=Count("id", filter=Q(score__gte=9)),
        detractors=Count("id", filter=Q(score__lte=6)),
    )
    counts["passives"] = counts["answered"] - counts["promoters"] - counts["detractors"]
    counts["nps"] = (
        round(100 * (counts["promoters"] - counts["detractors"]) / counts["answered"], 1)
        if counts["answered"]
        else None
    )
    return counts


def partner_surveys(*, tenant):
    return (
        PartnerSurvey.objects.for_tenant(tenant)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def invitations_of(*, tenant, user):
    """The partner survey rounds ``user`` was invited to, newest first, each with its invitation's
    ``expires_on`` and ``answered_at`` (the person's own; nobody reads another's)."""
    mine = PartnerSurveyInvitation.objects.for_tenant(tenant).filter(survey=OuterRef("pk"), user=user)
    return (
        PartnerSurvey.objects.for_tenant(tenant)
        .filter(pk__in=mine.values("survey_id").order_by())
        .annotate(
            expires_on=Subquery(mine.values("expires_on")[:1]),
            answered_at=Subquery(mine.values("answered_at")[:1]),
            invitation_id=Subquery(mine.values("pk")[:1]),
        )
        .order_by("-sent_at", "-id")
    )


def invitation_of(*, tenant, user, survey_id):
    """``user``'s invitation to round ``survey_id``, or None (not invited, or another's round)."""
    return (
        PartnerSurveyInvitation.objects.for_tenant(tenant)
        .select_related("survey", "partner")
        .filter(survey_id=survey_id, user=user)
        .first()
    )
