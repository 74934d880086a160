"""Rendering a template to PDF with WeasyPrint, for every app (scorecards, statements, certificates).

One FontConfiguration, one parsed stylesheet and one image cache per worker
process; only files under ``static/`` are fetched, never the network. The
template renders in the tenant's language.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

_fonts = None
_css = None
_cache: dict = {}


def _local_only(url: str):
    from weasyprint.urls import default_url_fetcher

    allowed = Path(settings.BASE_DIR / "static").resolve().as_uri()
    if not url.startswith(allowed):
        raise ValueError(f"refusing to fetch {url}")
    return default_url_fetcher(url)


def _resources():
    global _fonts, _css
    if _fonts is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _fonts = FontConfiguration()
        _css = CSS(filename=str(settings.BASE_DIR / "static" / "prm" / "pdf.css"), font_config=_fonts)
    return _fonts, _css


def render_pdf(template: str, context: dict, *, tenant) -> bytes:
    """``template`` with ``context`` (plus ``tenant``) as PDF bytes, in the tenant's language."""
    from weasyprint import HTML

    fonts, css = _resources()
    with translation.override(tenant.default_language):
        html = render_to_string(template, {**context, "tenant": tenant})
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=_local_only)
    return document.write_pdf(stylesheets=[css], font_config=fonts, cache=_cache)
