"""What the portal shell shows: navigation entries and dashboard panels, by role.

Apps register theirs in ``AppConfig.ready()``, so the shell never imports a
domain app and a new capability appears in the menu by declaring itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset
    order: int
    #: Other view names under which this entry shows as the current one.
    also: tuple = ()
    #: The group the entry is shown in ("" for the top).
    section: str = ""

    def is_current(self, view_name: str) -> bool:
        return view_name == self.url_name or view_name in self.also


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template: str
    context: Callable  # (request) -> dict
    roles: frozenset
    order: int
    wide: bool = field(default=False)


_nav: dict[str, NavItem] = {}
_panels: dict[str, DashboardPanel] = {}


SECTIONS = {
    "": "",
    "partners": _("Partners"),
    "performance": _("Performance"),
    "payouts": _("Incentives"),
    "programme": _("Programme"),
}


def register_nav(key, label, url_name, roles, order=100, also=(), section="") -> None:
    _nav[key] = NavItem(key, label, url_name, frozenset(roles), order, tuple(also), section)


def register_panel(key, template, context, roles, order=100, wide=False) -> None:
    _panels[key] = DashboardPanel(key, template, context, frozenset(roles), order, wide)


def nav_for(role: str) -> list[NavItem]:
    """The role's entries, grouped by section in the sections' order, then by ``order``."""
    position = {name: index for index, name in enumerate(SECTIONS)}
    return sorted(
        (i for i in _nav.values() if role in i.roles), key=lambda i: (position.get(i.section, 99), i.order)
    )


def panels_for(role: str) -> list[DashboardPanel]:
    return sorted((p for p in _panels.values() if role in p.roles), key=lambda p: p.order)
