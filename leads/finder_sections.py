"""Sections the apps above leads add to the public find-a-partner page: an app's
``finder_sections`` plug (``FinderSection(template, context)``; recognition shows award-winning
partners as badges). ``context(tenant) -> dict`` runs for an anonymous visitor: it must read only
what the tenant means to publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FinderSection:
    template: str
    #: (tenant) -> dict
    context: Callable


_sections: list[FinderSection] = []


def register_finder_section(section: FinderSection) -> None:
    if section not in _sections:
        _sections.append(section)


def finder_sections(tenant) -> list[dict]:
    """The public finder's sections, each its template and what ``context(tenant)`` gives it."""
    return [{"template": s.template, **s.context(tenant)} for s in _sections]
