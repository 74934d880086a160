"""Dashboard panels of scorecards/."""

from prm.portal.charts import gauge

from .cohorts import cohort_words
from .models import Scorecard
from .programme import scorecard_programme_for
from .views.scorecards import latest_period


def own_scorecard(request) -> dict:
    card = (
        Scorecard.objects.for_tenant(request.tenant)
        .current()
        .filter(partner_id=request.tenant_access.partner_id)
        .order_by("-period")
        .first()
    )
    return {
        "card": card,
        "gauge": gauge(float(card.score), title="Score") if card else None,
        "cohort_words": cohort_words(card, scorecard_programme_for(request.tenant).min_cohort_size)
        if card
        else "",
    }


def leaders(request) -> dict:
    period = latest_period(request.tenant)
    cards = (
        Scorecard.objects.for_tenant(request.tenant).current().filter(period=period).select_related("partner")
    )
    return {
        "period": period,
        "top": list(cards.order_by("-score")[:5]),
        "bottom": list(cards.order_by("score")[:3]),
    }
