"""Rendering a template to PDF with WeasyPrint, for every app (scorecards, statements, certificates).

One FontConfiguration, the parsed stylesheets (ours, and a user-agent
stylesheet of our own: ``_Document``) and one image cache per worker
process; only files under ``static/`` are fetched, never the network. The
template renders in the reader's language (the tenant's when no reader asked).

Charts are inline SVG (shapes) with their words in HTML on pages; a PDF takes
the SVG as an ``<img>`` with a ``data:image/svg+xml`` URL (``svg_image``):
WeasyPrint then parses it with ElementTree instead of its HTML parser, and
does not cascade the page's CSS over every ``<rect>`` of it. It draws the same
picture; ``static/prm/charts.css`` lays the words out on pages and in PDFs.
"""

from __future__ import annotations

import base64
import gc
import mimetypes
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The only ``data:`` URLs the fetcher reads: the charts ``svg_image`` writes (no file, no network).
SVG_DATA_URL = "data:image/svg+xml;base64,"

_fonts = None
_css = None
_ua_css = None
#: the print stylesheet, then the charts' (shared with the pages)
STYLESHEETS = ("pdf.css", "charts.css")
_fetcher = None


class _ImageCache(dict):
    """WeasyPrint's image cache, kept across renders for files under ``static/`` only.

    A chart's ``data:`` URL is different in every document: keeping it would
    only grow the worker's memory, render after render.
    """

    def __setitem__(self, key, value):
        if isinstance(key, str) and key.startswith("data:"):
            return
        super().__setitem__(key, value)


_cache = _ImageCache()


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


def svg_image(chart: str) -> str:
    """A chart (``prm.portal.charts``) for a PDF: its ``<svg>`` of shapes as an ``<img>``, its HTML
    words as they are. The same drawing, cheaper to render."""
    chart = str(chart)
    start, end = chart.find("<svg"), chart.rfind("</svg>") + len("</svg>")
    if start < 0 or end < start:
        return mark_safe(chart)
    encoded = base64.b64encode(chart[start:end].encode()).decode("ascii")
    image = format_html('<img class="chart-svg" alt="" src="{}{}">', SVG_DATA_URL, encoded)
    return mark_safe(chart[:start] + image + chart[end:])


def _static_fetcher():
    """The process's one fetcher: building a WeasyPrint ``URLFetcher`` (a urllib opener and its
    handlers) costs a few milliseconds, and ``fetch`` keeps no state between documents."""
    global _fetcher
    if _fetcher is None:
        _fetcher = _static_fetcher_class()()
    return _fetcher


def _static_fetcher_class():

    class StaticOnlyFetcher(URLFetcher):
        """Serves files under ``static/`` and the charts' SVG ``data:`` URLs, nothing else
        (no network, no other path, no other kind of ``data:``)."""

        def fetch(self, url, headers=None):
            if url.startswith(SVG_DATA_URL):
                body = base64.b64decode(url[len(SVG_DATA_URL) :], validate=True)
                return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/svg+xml"})
            path = static_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return StaticOnlyFetcher


class _Document(HTML):
    """WeasyPrint's ``HTML`` with our user-agent stylesheet (``static/prm/pdf-ua.css``): the HTML5
    defaults of the elements PDFs are made of. WeasyPrint's own (forms, frames, bidi attributes,
    footnotes) was matched against every element: 6–12 % of a scorecard's time, for the same
    pixels and outline (scorecard, statement, certificate compared page by page). Should a
    WeasyPrint upgrade drop this hook, its own sheet applies again: slower, never wrong."""

    def _ua_stylesheets(self, forms=False):
        return [_ua_css]


def _resources():
    global _fonts, _css, _ua_css
    if _fonts is None:
        _fonts = FontConfiguration()
        _ua_css = CSS(filename=str(settings.BASE_DIR / "static" / "prm" / "pdf-ua.css"), font_config=_fonts)
        _css = [
            CSS(filename=str(settings.BASE_DIR / "static" / "prm" / name), font_config=_fonts)
            for name in STYLESHEETS
        ]
    return _fonts, _css


def reader_language(request) -> str | None:
    """The language the reader asked for (the language switch's cookie, or the browser's
    ``Accept-Language``), else None so that the PDF speaks the tenant's language: a script that
    asks nothing gets the programme's language, not the server's default."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.META.get("HTTP_ACCEPT_LANGUAGE"):
        return request.LANGUAGE_CODE
    return None


def render_pdf(template: str, context: dict, *, tenant, language: str | None = None) -> bytes:
    """``template`` with ``context`` (plus ``tenant`` and ``pdf_language``) as PDF bytes, in the
    reader's ``language`` (a request's: the same words, numbers and dates as the page), else the
    tenant's (a PDF made by a task for whoever opens it later)."""
    language = language or tenant.default_language
    with translation.override(language):
        html = render_to_string(template, {**context, "tenant": tenant, "pdf_language": language})
    with _collector_paused():
        return _write_pdf(html)


def _write_pdf(html: str) -> bytes:
    """WeasyPrint's PDF of ``html``; its boxes and styles are garbage once this returns."""

    fonts, css = _resources()
    document = _Document(
        string=html, base_url=str(settings.BASE_DIR / "static") + "/", url_fetcher=_static_fetcher()
    )
    return document.write_pdf(stylesheets=css, font_config=fonts, cache=_cache)


@contextmanager
def _collector_paused():
    """Python's cycle collector held off while WeasyPrint makes one document, then run once.

    A scorecard allocates a few hundred thousand short-lived objects: left
    alone, the collector runs some twenty times a document, and now and then a
    full collection walks every object of the process (tens of milliseconds).
    Paused, then run on the young generation (what the document left), 120
    scorecards in a row took a twelfth less time on average, in a smaller
    process. Nothing changes when the collector is off already.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)
