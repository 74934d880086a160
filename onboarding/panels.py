"""Dashboard panels of onboarding/: a partner's onboarding and training, and the announcements."""

from partners.models import Partner

from .selectors import announcement_list, checklist_of
from .services.training import training_status


def own(request) -> dict:
    partner = Partner.objects.for_tenant(request.tenant).get(pk=request.tenant_access.partner_id)
    steps = checklist_of(partner)
    status = training_status(partner)
    done = sum(1 for s in steps if s.done_at)
    return {
        "partner": partner,
        "steps": steps,
        "done": done,
        "training": status,
        "percent": round(100 * done / len(steps)) if steps else 0,
    }


def news(request) -> dict:
    return {"items": list(announcement_list(tenant=request.tenant)[:3])}
