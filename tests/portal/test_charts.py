"""Charts: shapes in SVG, words in HTML beside them, the same markup on pages and in PDFs."""

import re

from prm.portal.charts import Bar, bar_chart, gauge, line_chart


def _svg(chart: str) -> str:
    return chart[chart.index("<svg") : chart.index("</svg>")]


def _column(chart: str, css_class: str) -> list[str]:
    return (
        re.search(rf'<div class="{css_class}" aria-hidden="true">(.*?)</div>', chart, re.S)
        .group(1)
        .split("\n")
    )


def test_a_bar_charts_labels_and_figures_are_html_rows_in_the_bars_order():
    # when
    chart = bar_chart(
        [Bar("Nordwind", 42.5), Bar("Baltic <Motion>", 17), Bar("New", 0, note="no data")], title="Cohort"
    )

    # then: one label and one figure per bar, in order, escaped; the SVG draws the three bars only
    assert _column(chart, "chart-labels") == ["Nordwind", "Baltic &lt;Motion&gt;", "New"]
    assert _column(chart, "chart-values") == ["42.5", "17", "0 · no data"]
    assert "<text" not in chart and _svg(chart).count("<rect") == 3


def test_a_label_with_a_line_break_stays_on_its_bars_row():
    chart = bar_chart([Bar("North\nwind", 2), Bar("Baltic", 1)], title="Cohort")

    assert _column(chart, "chart-labels") == ["North wind", "Baltic"]


def test_bars_are_as_long_as_their_share_of_the_longest():
    chart = bar_chart([Bar("A", 50), Bar("B", 25), Bar("C", 0)], title="Cohort")

    assert re.findall(r'<rect [^>]*width="([\d.]+)%"', _svg(chart)) == ["100.00", "50.00", "0.00"]


def test_screen_readers_read_each_charts_title_and_every_figure_once():
    charts = [
        bar_chart([Bar("Nordwind", 42.5)], title="Cohort"),
        line_chart([("2026-Q2", 40.0), ("2026-Q3", 55.0)], title="Score over the last periods"),
        gauge(55.0, title="Score"),
    ]

    for chart in charts:
        svg = _svg(chart)
        assert 'role="img"' in svg and "<title>" in svg and "<desc>" in svg
        # the words beside the SVG are for the eyes: the SVG's description already says them
        assert chart.count('aria-hidden="true"') == len(re.findall(r"<div class=\"chart-(?!plot)", chart))
    assert "Nordwind: 42.5" in _svg(charts[0]) and "2026-Q2: 40, 2026-Q3: 55" in _svg(charts[1])


def test_charts_carry_no_inline_style_for_the_content_security_policy():
    charts = [
        bar_chart([Bar("Nordwind", 42.5)], title="Cohort", wide_labels=True),
        line_chart([("2026-Q3", 55.0)], title="Trend"),
        gauge(None, title="Score"),
    ]

    assert not any("style=" in chart for chart in charts)


def test_a_line_charts_figure_and_period_share_a_column_per_point():
    chart = line_chart([("2026-Q1", None), ("2026-Q2", 40.0), ("2026-Q3", 55.4)], title="Trend")

    assert re.findall(r"<span>(.*?)</span>", chart, re.S) == ["\n2026-Q1", "40\n2026-Q2", "55\n2026-Q3"]
    # a point in the middle of each measured period's column (362 user units, three columns)
    assert "M 181.0 " in _svg(chart) and "M 301.7 " in _svg(chart)


def test_a_gauge_shows_its_figure_in_html():
    assert '<div class="chart-gauge-value" aria-hidden="true">55</div>' in gauge(55.2, title="Score")
    assert '<div class="chart-gauge-value" aria-hidden="true">—</div>' in gauge(None, title="Score")
