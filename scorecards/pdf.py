"""Scorecard PDFs: the tenant's colour and language, charts included (one or two A4 pages)."""

from django.db import transaction
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
    # the facts read in one transaction (a request's own, else one for them): outside one, each
    # statement would open and commit a transaction of its own to carry the tenant scope, three
    # round trips instead of one. WeasyPrint then draws outside it, holding no connection.
    with translation.override(language), transaction.atomic(savepoint=False):
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
