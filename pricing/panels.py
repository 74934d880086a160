"""The partner page's section of price breaches (declared in ``plugs.partner_sections``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .flags import deals_below_band, sales_below_minimum
from .programme import pricing_programme_for

#: how many of each the section lists
SHOWN = 10


def breaches_section(tenant, partner) -> dict:
    """The partner's sales below the minimum and deals below the band in the programme's window."""
    days = pricing_programme_for(tenant).breach_days
    since = timezone.localdate() - timedelta(days=days)
    sales = sales_below_minimum(tenant, since=since, partners=[partner.pk])
    deals = deals_below_band(tenant, since=since, partners=[partner.pk])
    return {
        "days": days,
        "tier": partner.tier,
        "sales": list(sales[:SHOWN]),
        "sales_count": sales.count(),
        "deals": list(deals[:SHOWN]),
        "deals_count": deals.count(),
    }
