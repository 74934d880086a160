"""Charts in PDFs: their SVG of shapes handed to WeasyPrint as an image, their words printed as HTML."""

import base64
import gc
import io

import pytest
from django.conf import settings
from pypdf import PdfReader
from weasyprint import HTML

from prm.pdf import (
    SVG_DATA_URL,
    _cache,
    _collector_paused,
    _resources,
    _static_fetcher,
    _write_pdf,
    svg_image,
)
from prm.portal.charts import Bar, bar_chart


def _pdf_text(html: str) -> str:

    fonts, css = _resources()
    pdf = HTML(
        string=html, base_url=str(settings.BASE_DIR / "static") + "/", url_fetcher=_static_fetcher()
    ).write_pdf(stylesheets=css, font_config=fonts, cache=_cache)
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_charts_svg_becomes_an_image_of_the_same_svg_and_its_words_stay_html():
    chart = bar_chart([Bar("Nordwind", 42.5)], title="Cohort")
    svg = chart[chart.index("<svg") : chart.index("</svg>") + len("</svg>")]

    image = svg_image(chart)

    assert image.count('<img class="chart-svg" alt="" src="data:image/svg+xml;base64,') == 1
    assert "<svg" not in image
    encoded = image.split(SVG_DATA_URL, 1)[1].split('"', 1)[0]
    assert base64.b64decode(encoded).decode() == svg
    assert image.startswith('<div class="chart chart-bars">') and ">Nordwind</div>" in image


def test_the_fetcher_serves_chart_images_and_no_other_data_url():
    fetcher = _static_fetcher()
    url = SVG_DATA_URL + base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()

    response = fetcher.fetch(url)

    assert response.content_type == "image/svg+xml"
    assert response.read() == b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    for refused in (
        "data:text/plain,hello",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml,<svg/>",
    ):
        with pytest.raises(ValueError, match="refusing"):
            fetcher.fetch(refused)


def test_a_chart_in_a_pdf_prints_its_labels_and_values():
    chart = bar_chart([Bar("Nordwind Systems", 42.5), Bar("Baltic Trade", 17)], title="Cohort")

    text = _pdf_text(f"<p>Before</p>{svg_image(chart)}<p>After</p>")

    for expected in ("Before", "Nordwind Systems", "42.5", "Baltic Trade", "17", "After"):
        assert expected in text


def test_chart_images_are_not_kept_between_documents():
    chart = bar_chart([Bar("Only once", 1)], title="Cohort")

    _pdf_text(svg_image(chart))

    assert not [url for url in _cache if isinstance(url, str) and url.startswith("data:")]


def test_rendering_leaves_the_cycle_collector_as_it_found_it():

    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_our_user_agent_stylesheet_keeps_the_outline_and_hides_the_head():
    html = (
        "<html><head><title>Hidden title</title></head><body><h1>Partner</h1><p>Text</p>"
        "<h2>KPIs</h2><table><tr><th>KPI</th><td>42</td></tr></table></body></html>"
    )

    reader = PdfReader(io.BytesIO(_write_pdf(html)))

    outline = reader.outline
    assert outline[0].title == "Partner" and outline[1][0].title == "KPIs"
    text = reader.pages[0].extract_text()
    assert "Hidden title" not in text and "KPI" in text and "42" in text
