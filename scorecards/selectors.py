"""Reads of scorecards' data, scoped to a tenant."""

from .models import BusinessPlan, Kpi, ProductRegistration, SatisfactionResult, Scorecard, Target


def kpi_list(*, tenant):
    """The tenant's KPIs (a new tenant starts with the defaults: ``PRM_TENANT_SETUP``)."""
    return Kpi.objects.for_tenant(tenant)


def target_list(*, tenant):
    return Target.objects.for_tenant(tenant).select_related("partner", "kpi", "acknowledged_by")


def scorecard_list(*, tenant):
    return Scorecard.objects.for_tenant(tenant).select_related("partner")


def scorecard_detail(*, tenant):
    return scorecard_list(tenant=tenant).prefetch_related("lines")


def scorecard_trend(*, scorecard, periods: int = 6) -> list[Scorecard]:
    """The partner's scorecards up to this one, oldest first (one query)."""
    from prm.periods import last_periods, parse_period

    codes = [p.code for p in last_periods(parse_period(scorecard.period), periods)]
    found = {
        c.period: c
        for c in Scorecard.objects.for_tenant(scorecard.tenant_id).filter(
            partner_id=scorecard.partner_id, period__in=codes
        )
    }
    return [found[c] for c in codes if c in found]


def cohort_of(*, scorecard) -> list[Scorecard]:
    """The scorecards of the same period, tier and region, by rank."""
    return list(
        Scorecard.objects.for_tenant(scorecard.tenant_id)
        .filter(period=scorecard.period, tier=scorecard.tier, region=scorecard.region)
        .select_related("partner")
        .order_by("rank", "partner__name")
    )


def product_registration_list(*, tenant):
    return ProductRegistration.objects.for_tenant(tenant).select_related("partner")


def satisfaction_list(*, tenant):
    return SatisfactionResult.objects.for_tenant(tenant).select_related("partner")


def plan_list(*, tenant):
    """Business plans with their partner, number of goals and activities (done and all), newest year first."""
    from django.db.models import Count, Q

    return (
        BusinessPlan.objects.for_tenant(tenant)
        .select_related("partner", "agreed_by")
        .annotate(
            goals_count=Count("goals", distinct=True),
            activities_count=Count("activities", distinct=True),
            activities_done=Count("activities", filter=Q(activities__done_at__isnull=False), distinct=True),
        )
        .order_by("-year", "partner__name", "id")
    )
