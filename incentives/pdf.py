"""A partner's payout statement for one run, as a PDF (WeasyPrint, like scorecards)."""

from django.template.loader import render_to_string
from django.utils import translation


def render_statement(run, partner, lines, points) -> bytes:
    from weasyprint import HTML

    from scorecards.pdf import _local_only, _resources

    fonts, css = _resources()
    with translation.override(run.tenant.default_language):
        html = render_to_string(
            "incentives/statement.html",
            {"run": run, "partner": partner, "lines": lines, "points": points, "tenant": run.tenant,
             "total": sum((line.amount for line in lines), 0)},
        )  # fmt: skip
    from django.conf import settings

    return HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=_local_only).write_pdf(
        stylesheets=[css], font_config=fonts
    )
