"""Cards the apps above scorecards add to the partner's programme page (*My programme*): an app's
``programme_cards`` plug (``ProgrammeCard(template, context)``; recognition shows the partner's
awards). Each card's template is rendered with ``card`` = ``context(tenant, partner)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgrammeCard:
    template: str
    #: (tenant, partner) -> dict
    context: Callable


_cards: list[ProgrammeCard] = []


def register_programme_card(card: ProgrammeCard) -> None:
    if card not in _cards:
        _cards.append(card)


def programme_cards(tenant, partner) -> list[dict]:
    """The cards of the partner's programme page, in the order the apps declared them."""
    return [{"template": card.template, **card.context(tenant, partner)} for card in _cards]
