"""What recognition shows on the lower apps' pages: the partner page, *My programme*, the public
finder. Each is a ``context`` function of a plug (see ``plugs.py``)."""

from __future__ import annotations

from .people import person_name
from .selectors import standing_awards


def _rows(awards) -> list[dict]:
    return [
        {
            "category": a.category.name,
            "period": a.period,
            "citation": a.citation,
            "person": person_name(a.person),
            "granted_at": a.granted_at,
        }
        for a in awards
    ]


def partner_awards_section(tenant, partner) -> dict:
    """``awards``: the partner's standing awards, newest first (the partner page, *My programme*)."""
    return {"awards": _rows(standing_awards(tenant=tenant, partner_ids=[partner.pk]))}


#: How many awards the public finder lists at most.
FINDER_LIMIT = 12


def finder_awards_section(tenant) -> dict:
    """``awarded``: the tenant's newest standing awards, as badges on the public finder (partner,
    category, period; no citation and no person, which are the programme's own)."""
    awards = standing_awards(tenant=tenant)[:FINDER_LIMIT]
    return {
        "awarded": [
            {"partner": a.partner.name, "category": a.category.name, "period": a.period} for a in awards
        ]
    }
