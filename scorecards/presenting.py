"""What a scorecard page and its PDF show: shared by both so they never disagree."""

from __future__ import annotations

from django.utils.translation import gettext as _

from prm.portal.charts import Bar, bar_chart, gauge, line_chart

from . import scoring
from .choices import Dimension, Side
from .cohorts import cohort_title, cohort_words
from .programme import scorecard_programme_for
from .selectors import COHORT_TOP, cohort_of, scorecard_trend


def scorecard_context(scorecard, *, name_others: bool = False) -> dict:
    """The KPI lines, gauge, trend, cohort (and whom it is among, in words) and dimension balance of
    one scorecard.

    Other partners of the cohort are named only for the vendor's staff
    (``name_others``); a partner, and every PDF, sees them as anonymous bars.
    """
    trend = scorecard_trend(scorecard=scorecard)
    cohort = cohort_of(scorecard=scorecard)
    dimensions = [
        {"code": value, "label": label, "score": scorecard.dimensions.get(value)}
        for value, label in Dimension.choices
    ]
    programme = scorecard_programme_for(scorecard.tenant)
    lines = list(scorecard.lines.all())
    balanced = scoring.is_balanced({d["code"]: d["score"] for d in dimensions}, programme.balance_spread)
    return {
        "scorecard": scorecard,
        "lines": lines,
        "activation_sides": activation_sides(lines),
        "gauge": gauge(float(scorecard.score), title=_("Score")),
        "trend": line_chart(
            [(c.period, float(c.score)) for c in trend], title=_("Score over the last periods")
        ),
        "cohort": cohort,
        "cohort_words": cohort_words(scorecard, programme.min_cohort_size),
        "cohort_chart": bar_chart(
            [
                Bar(
                    c.partner.name
                    if name_others or c.pk == scorecard.pk
                    else _("Partner #%(rank)s") % {"rank": c.cohort_rank},
                    float(c.score),
                    "#1f5f8b" if c.pk == scorecard.pk else "#9aa7b8",
                )
                for c in cohort
                if (c.cohort_rank or 0) <= COHORT_TOP or c.pk == scorecard.pk  # the leaders, and this partner
            ],
            title=cohort_title(scorecard),
        ),
        "dimensions": dimensions,
        "dimension_chart": bar_chart(
            [
                Bar(str(d["label"]), d["score"] or 0, note="" if d["score"] is not None else _("no data"))
                for d in dimensions
            ],
            title=_("The three dimensions"),
            wide_labels=True,
        ),
        "balanced": balanced,
        "balance_spread": programme.balance_spread,
        "attainment_cap": programme.attainment_cap,
        "min_cohort_size": programme.min_cohort_size,
    }


def activation_sides(lines) -> list[dict]:
    """Activation measured from both sides: what the vendor does for the partner (visits, answers,
    funds) and what the partner does (training), each the weighted score of its KPIs (None: no data)."""
    sides = []
    for side, label in Side.choices:
        counted = [
            (line.weight, line.points)
            for line in lines
            if line.dimension == Dimension.ACTIVATION and line.side == side
        ]
        if counted:
            score = scoring.round_score(scoring.weighted_score(counted))
            sides.append({"side": side, "label": label, "score": score, "kpis": len(counted)})
    return sides
