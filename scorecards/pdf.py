"""Scorecard PDFs: the tenant's colour and language, charts included (one or two A4 pages)."""

from prm.pdf import render_pdf

from .presenting import scorecard_context


def render_scorecard(scorecard) -> bytes:
    """The scorecard, then the partner's programme as it stands today (duties, rights, the way up)."""
    from .programme_page import partner_programme

    context = {
        **scorecard_context(scorecard),
        "programme": partner_programme(scorecard.tenant, scorecard.partner),
    }
    return render_pdf("scorecards/pdf.html", context, tenant=scorecard.tenant)
