"""A partner's payout statement for one run, as a PDF."""

from prm.pdf import render_pdf

from .models import Payment, PayoutLine, PointsEntry


def render_statement(run, partner, language: str | None = None) -> bytes:
    """The partner's lines and points of the run, with the total, in the reader's ``language``
    (else the tenant's)."""
    lines = list(PayoutLine.objects.for_tenant(run.tenant_id).filter(run=run, partner=partner))
    points = list(PointsEntry.objects.for_tenant(run.tenant_id).filter(run=run, partner=partner))
    payment = Payment.objects.for_tenant(run.tenant_id).filter(run=run, partner=partner).first()
    context = {
        "run": run,
        "partner": partner,
        "lines": lines,
        "points": points,
        "payment": payment,
        "total": sum((line.amount for line in lines), 0),
    }
    return render_pdf("incentives/statement.html", context, tenant=run.tenant, language=language)
