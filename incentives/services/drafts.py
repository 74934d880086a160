"""What a payout run's draft is: whether it may be computed again, and what it sums up to.

A run is computed (``run_compute``) and adjusted (``runs``) while it is a draft; once approved,
corrections go into a later run (``ensure_recomputable``). ``run_summary`` is what its page and the
API show of its lines and warnings, kept on the run whenever they change.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from ..models import PayoutLine
from ..money import to_cents


def ensure_recomputable(run) -> None:
    """An approved period is never computed again (the rule's one home: pages, API and the job ask it)."""
    if run is not None and not run.is_draft:
        raise RunNotDraft(
            {
                "period": [
                    _("The run of %(p)s is approved; corrections go into a later run as adjustments.")
                    % {"p": run.period}
                ]
            }
        )


class RunNotDraft(ValidationError):
    """The run is approved already (the API answers 409)."""


def run_summary(run, warnings: list[tuple[str, int]] | None = None) -> dict:
    """What the run's page and API show of its lines (per kind: total and count; how many partners:
    two aggregate queries) and of its ``warnings`` (per kind, how many: ``run_warnings.counted``),
    kept on the run (``PayoutRun.summary``). Without ``warnings``, those the run's summary keeps already."""
    rows = (
        PayoutLine.objects.for_tenant(run.tenant_id)
        .filter(run=run)
        .values("kind")
        .annotate(total=Sum("amount"), lines=Count("id"))
        .order_by("kind")
    )
    kinds = [
        {"kind": r["kind"], "total": str(to_cents(r["total"] or Decimal(0))), "lines": r["lines"]}
        for r in rows
    ]
    groups = (
        [{"code": code, "count": n} for code, n in warnings]
        if warnings is not None
        else [{"code": g["code"], "count": g["count"]} for g in (run.summary or {}).get("warnings", [])]
    )
    partners = (
        PayoutLine.objects.for_tenant(run.tenant_id)
        .filter(run=run)
        .aggregate(n=Count("partner", distinct=True))
    )
    return {
        "lines": sum(k["lines"] for k in kinds),
        "partners": partners["n"],
        "kinds": kinds,
        "total": str(to_cents(sum((Decimal(k["total"]) for k in kinds), Decimal(0)))),
        "warnings_count": sum(g["count"] for g in groups),
        "warnings": groups,
    }
