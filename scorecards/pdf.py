"""Scorecard PDFs: the tenant's colour and language, charts included (one or two A4 pages)."""

from django.utils import translation

from partners.tiering.rights import tier_gap
from prm.pdf import render_pdf, svg_image

from .presenting import scorecard_context

#: The context's inline SVG charts, handed to WeasyPrint as images (``prm.pdf.svg_image``).
CHARTS = ("gauge", "trend", "cohort_chart", "dimension_chart")


def render_scorecard(scorecard, language: str | None = None) -> bytes:
    """The scorecard, then the partner's programme as it stands today (its tier's rights, the next
    tier's, and the way up in one sentence), in the reader's ``language`` (else the tenant's)."""
    language = language or scorecard.tenant.default_language
    with translation.override(language):  # the charts' words and figures too, not only the page's
        context = scorecard_context(scorecard)
        for chart in CHARTS:
            context[chart] = svg_image(context[chart])
        context["programme"] = programme_section(scorecard)
    return render_pdf("scorecards/pdf.html", context, tenant=scorecard.tenant, language=language)


def programme_section(scorecard) -> dict:
    """What the PDF's programme section shows (``tier``, ``next_tier``, ``rights``, ``next_rights``,
    ``sentence``): the tier gap only. The programme page's duties (``partner_programme``) would
    cost three more queries for rows the PDF does not print."""
    return {"partner": scorecard.partner, **tier_gap(scorecard.tenant, scorecard.partner)}
