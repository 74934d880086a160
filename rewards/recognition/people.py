"""How a recognised person is named with an award."""

from __future__ import annotations


def person_name(link) -> str:
    """The name of the partner user behind ``link`` (a ``PartnerUser``), or "" for none."""
    if link is None:
        return ""
    user = link.membership.user
    return user.get_full_name() or user.username
