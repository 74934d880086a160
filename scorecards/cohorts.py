"""Whom a scorecard is ranked among, in words and as a filter of the period's cards.

A card's cohort (``Scorecard.cohort``, written by ``queries.cards_rank``) is the partners of its
tier and region; where those were fewer than the programme's ``min_cohort_size``, its tier in every
region; where those were fewer too, the whole channel of the period. The page, the PDF and the API
say which in words (``cohort_words``): "rank 2 of 7 among tier B partners in every region: fewer
than 3 in EMEA". The reason names the programme's ``min_cohort_size`` as it is now (a card is
ranked again when its period is computed again).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import Cohort
from .programme import scorecard_programme_for


def _group(tier: str) -> str:
    """The card's tier as a group of partners: "tier B partners"."""
    if tier:
        return _("tier %(tier)s partners") % {"tier": tier}
    return _("partners without a tier")


def _place(region: str) -> str:
    """The card's region as a place: "in EMEA"."""
    if region:
        return _("in %(region)s") % {"region": region}
    return _("without a region")


def cohort_words(card, min_size: int | None = None) -> str:
    """The card's rank and whom it is among, with why the cohort was widened, in the reader's
    language: "rank 2 of 7 among tier B partners in every region: fewer than 3 in EMEA". ``card``
    is a scorecard or one of its revisions (``rank``, ``cohort_size``, ``cohort``, ``tier``,
    ``region``); ``min_size`` the programme's ``min_cohort_size`` (read when not given)."""
    if min_size is None:
        min_size = scorecard_programme_for(card.tenant).min_cohort_size
    values = {
        "rank": card.rank,
        "size": card.cohort_size,
        "group": _group(card.tier),
        "place": _place(card.region),
        "min": min_size,
    }
    if card.cohort == Cohort.TIER:
        return (
            _("rank %(rank)s of %(size)s among %(group)s in every region: fewer than %(min)s %(place)s")
            % values
        )
    if card.cohort == Cohort.CHANNEL:
        return (
            _("rank %(rank)s of %(size)s among all the channel's partners: fewer than %(min)s %(group)s")
            % values
        )
    return _("rank %(rank)s of %(size)s among %(group)s %(place)s") % values


def cohort_title(card) -> str:
    """The cohort chart's title: "Cohort: tier B partners in EMEA"."""
    if card.cohort == Cohort.TIER:
        who = _("%(group)s in every region") % {"group": _group(card.tier)}
    elif card.cohort == Cohort.CHANNEL:
        who = _("all the channel's partners")
    else:
        who = _("%(group)s %(place)s") % {"group": _group(card.tier), "place": _place(card.region)}
    return _("Cohort: %(who)s") % {"who": who}


def cohort_filter(card) -> dict:
    """The lookups of the period's cards that make up ``card``'s cohort."""
    if card.cohort == Cohort.CHANNEL:
        return {"period": card.period}
    if card.cohort == Cohort.TIER:
        return {"period": card.period, "tier": card.tier}
    return {"period": card.period, "tier": card.tier, "region": card.region}
