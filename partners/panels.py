"""Dashboard panels of partners/."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from partners.choices import Health
from partners.conditions import overdue_q
from partners.health.signals import describe
from partners.models import DealRegistration, Partner
from partners.reports import activity_report
from partners.selectors import partner_list
from partners.views.pipeline import funnel_svg, tier_svg
from prm.periods import period_containing
from prm.tenancy.choices import Role


def pipeline(request) -> dict:
    return {"funnel": funnel_svg(request.tenant)}


def tiers(request) -> dict:
    return {"chart": tier_svg(request.tenant)}


def overdue(request) -> dict:
    partners = partner_list(tenant=request.tenant).filter(overdue_q()).order_by("stage_due_at")
    return {"partners": list(partners[:8]), "now": timezone.now()}


def attention(request) -> dict:
    """Partners that need attention (at risk first, then by name); a channel manager sees its own.

    Each health value is read in name order from the (tenant, health, name) index, at risk first,
    until the panel is full: the panel reads eight partners however many are flagged."""

    partners = partner_list(tenant=request.tenant)
    if request.tenant_access.role == Role.CHANNEL_MANAGER:
        partners = partners.filter(owner=request.user)
    page = []
    for health in (Health.AT_RISK, Health.WATCH):
        if len(page) < PANEL_SIZE:
            page += partners.filter(health=health).order_by("name", "pk")[: PANEL_SIZE - len(page)]
    for partner in page:
        partner.reasons = describe(partner.health_reasons)
    return {"partners": page, "count": partners.filter(health__in=[Health.AT_RISK, Health.WATCH]).count()}


#: Partners an attention panel shows
PANEL_SIZE = 8


def team(request) -> dict:
    """A regional lead's team this quarter: each manager's new candidates a week against the cadence."""

    report = activity_report(tenant=request.tenant, period=period_containing(timezone.localdate()))
    return {"report": report, "owners": [r for r in report["owners"] if r["key"] is not None]}


def own_partner(request) -> dict:
    """A partner user's own partnership: stage, tier and why, open deals."""
    access = request.tenant_access
    partner = Partner.objects.for_tenant(request.tenant).get(pk=access.partner_id)
    open_deals = DealRegistration.objects.for_tenant(request.tenant).filter(
        partner=partner, status__in=["pending", "approved"]
    )
    return {"partner": partner, "open_deals": open_deals.count()}


@dataclass(frozen=True)
class PartnerSection:
    """A section another app adds to the partner page (an app's ``partner_sections``; leads adds the
    partner's record with leads): ``template`` rendered with ``context(tenant, partner) -> dict``."""

    template: str
    context: Callable


#: Sections other apps add to the partner page: (template, context(tenant, partner) -> dict), in order.
_partner_sections: list = []


def register_partner_section(section: PartnerSection) -> None:
    if (section.template, section.context) not in _partner_sections:
        _partner_sections.append((section.template, section.context))


def partner_sections(tenant, partner) -> list[dict]:
    return [{"template": template, **context(tenant, partner)} for template, context in _partner_sections]
