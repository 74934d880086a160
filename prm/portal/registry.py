"""What the portal shell shows: navigation entries and dashboard panels, by role.

Apps declare theirs in their plugs module (``nav = [NavItem(...)]``, ``panels =
[DashboardPanel(...)]``, see ``prm.plugs``), so the shell never imports a domain
app and a new capability appears in the menu by declaring itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """A menu entry: shown to ``roles`` in its ``section``, by ``order`` within it."""

    key: str
    label: str
    url_name: str
    roles: frozenset
    order: int = 100
    #: Other view names under which this entry shows as the current one.
    also: tuple = ()
    #: The group the entry is shown in ("" for the top).
    section: str = ""

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "also", tuple(self.also))

    def is_current(self, view_name: str) -> bool:
        return view_name == self.url_name or view_name in self.also


@dataclass(frozen=True)
class DashboardPanel:
    """A dashboard panel: ``template`` rendered with ``context(request)``, for ``roles``, by ``order``."""

    key: str
    template: str
    context: Callable  # (request) -> dict
    roles: frozenset
    order: int = 100
    wide: bool = field(default=False)

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))


_nav: dict[str, NavItem] = {}
_panels: dict[str, DashboardPanel] = {}


SECTIONS = {
    "": "",
    "partners": _("Partners"),
    "performance": _("Performance"),
    "payouts": _("Incentives"),
    "rewards": _("Rewards"),
    "programme": _("Programme"),
}


def register_nav(item: NavItem) -> None:
    """Add a menu entry (one of the same key is replaced); ``prm.plugs`` calls it for each ``nav``."""
    _nav[item.key] = item


def register_panel(panel: DashboardPanel) -> None:
    """Add a dashboard panel (one of the same key is replaced); ``prm.plugs`` calls it for each
    ``panels`` entry."""
    _panels[panel.key] = panel


def nav_for(role: str) -> list[NavItem]:
    """The role's entries, grouped by section in the sections' order, then by ``order``."""
    position = {name: index for index, name in enumerate(SECTIONS)}
    return sorted(
        (i for i in _nav.values() if role in i.roles), key=lambda i: (position.get(i.section, 99), i.order)
    )


def panels_for(role: str) -> list[DashboardPanel]:
    return sorted((p for p in _panels.values() if role in p.roles), key=lambda p: p.order)
