"""The partner's programme on one page: its duties (the KPIs it is measured on, with weights and
its latest attainment; the tier criteria with its own axis scores), the rights of its tier and of
the next, and the gap between them in plain words (``partners.tiering.rights.tier_gap``). Served as a page,
as ``me/programme/`` (and ``partners/{id}/programme/`` for staff) and as a section of the scorecard PDF."""

from __future__ import annotations

from partners.tiering.rights import tier_gap

from .models import Scorecard, ScorecardLine
from .selectors import kpi_list


def partner_programme(tenant, partner) -> dict:
    """Four queries: the KPIs, the latest scorecard and its lines, and the tiers' benefits."""
    latest = (
        Scorecard.objects.for_tenant(tenant).current().filter(partner=partner).order_by("-period").first()
    )
    lines = {}
    if latest is not None:
        lines = {
            line.code: line for line in ScorecardLine.objects.for_tenant(tenant).filter(scorecard=latest)
        }
    duties = []
    for kpi in kpi_list(tenant=tenant).filter(active=True).order_by("position", "id"):
        line = lines.get(kpi.code)
        duties.append(
            {
                "code": kpi.code,
                "name": kpi.name,
                "weight": kpi.weight,
                "side": kpi.side,
                "target": line.target if line else None,
                "actual": line.actual if line else None,
                "attainment": line.attainment if line else None,
            }
        )
    return {
        "partner": partner,
        "scorecard": latest,
        "duties": duties,
        **tier_gap(tenant, partner),
    }


def programme_json(data: dict) -> dict:
    """The page's data as the API answers it."""

    def benefit(b):
        return {
            "tier": b.tier,
            "kind": b.kind,
            "value": None if b.value is None else str(b.value),
            "description": b.description,
            "kept": b.kept.status,
            "automatic": b.kept.automatic,
            "kept_note": b.kept_note,
        }

    def number(value):
        return None if value is None else str(value)

    card = data["scorecard"]
    return {
        "partner": data["partner"].pk,
        "tier": data["tier"],
        "next_tier": data["next_tier"],
        "scorecard": {"id": card.pk, "period": card.period, "score": str(card.score)} if card else None,
        "duties": [
            {
                **d,
                "weight": number(d["weight"]),
                "target": number(d["target"]),
                "actual": number(d["actual"]),
                "attainment": number(d["attainment"]),
            }
            for d in data["duties"]
        ],
        "tier_criteria": data["axes"],
        "rights": [benefit(b) for b in data["rights"]],
        "next_rights": [benefit(b) for b in data["next_rights"]],
        "adds": [benefit(b) for b in data["adds"]],
        "steps": data["steps"],
        "sentence": data["sentence"],
    }
