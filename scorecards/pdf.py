"""Scorecard PDFs: the tenant's colour and language, charts included (one or two A4 pages)."""

from prm.pdf import render_pdf

from .presenting import scorecard_context


def render_scorecard(scorecard) -> bytes:
    return render_pdf("scorecards/pdf.html", scorecard_context(scorecard), tenant=scorecard.tenant)
