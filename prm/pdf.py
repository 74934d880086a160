"""Rendering a template to PDF with WeasyPrint, for every app (scorecards, statements, certificates).

One FontConfiguration, one parsed stylesheet and one image cache per worker
process; only files under ``static/`` are fetched, never the network. The
template renders in the tenant's language.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

_fonts = None
_css = None
_cache: dict = {}


def static_path(url: str) -> Path:
    """The file under ``static/`` that a ``file://`` URL names, or ValueError.

    The path is decoded and resolved (``..``, ``%2e%2e``, symlinks) before it
    is compared, so nothing outside the folder can be reached by spelling.
    """
    root = (Path(settings.BASE_DIR) / "static").resolve()
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ValueError(f"refusing to fetch {url}: only local static files")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ValueError(f"refusing to fetch {url}: outside {root}")
    return path


def _static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves files under ``static/`` and nothing else (no network, no other path)."""

        def fetch(self, url, headers=None):
            path = static_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return StaticOnlyFetcher()


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
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR / "static") + "/", url_fetcher=_static_fetcher()
    )
    return document.write_pdf(stylesheets=[css], font_config=fonts, cache=_cache)
