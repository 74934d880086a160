"""The certificate a certified partner downloads (WeasyPrint, like scorecards)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_certificate(partner, certified_on, courses) -> bytes:
    from weasyprint import HTML

    from scorecards.pdf import _local_only, _resources

    fonts, css = _resources()
    with translation.override(partner.tenant.default_language):
        html = render_to_string(
            "onboarding/certificate.html",
            {"partner": partner, "tenant": partner.tenant, "certified_on": certified_on, "courses": courses},
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=_local_only).write_pdf(
        stylesheets=[css], font_config=fonts
    )
