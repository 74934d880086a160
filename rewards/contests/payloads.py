"""What the contests app's webhook events carry: the contest and each award as the API shows them.
Services call this; they never import the API's serializers themselves."""

from __future__ import annotations

from .api.serializers import ContestAwardSerializer, ContestSerializer


def contest_payload(contest) -> dict:
    """The contest as ``contests/{id}/`` shows it to staff, prizes included."""
    return dict(ContestSerializer(contest).data)


def award_payload(award) -> dict:
    """One prize awarded to one partner, as ``contests/{id}/awards/`` shows it."""
    return dict(ContestAwardSerializer(award).data)
