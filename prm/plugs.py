"""What each app plugs into the registries of the apps below it: declared in lists, read here once.

An app declares what it adds to other apps' registries in its ``plugs`` module (``<app>/plugs.py``),
as module-level lists, each named after a *kind*: menu entries (``nav``), dashboard panels
(``panels``), notification categories, audit actions, stage gates, health signals, KPI sources…
The app that owns a registry offers its kind in the ``kinds`` list of its own plugs module: the
list's name, the type of what goes in it, and the function that registers one of them::

    # prm/portal/plugs.py: the portal offers menu entries
    kinds = [Kind("nav", NavItem, register_nav), ...]

    # leads/plugs.py: leads adds one
    nav = [NavItem("leads", _("Leads"), "leads:list", ALL_ROLES, order=35, section="partners")]

``plug_in`` runs once at start-up (from the portal's ``AppConfig.ready()``, when every model is
loaded) and registers every installed app's declarations in a fixed order: kind after kind, in the
order the apps offer them; within a kind, app after app in ``INSTALLED_APPS`` order; within an app,
in the order of its list. Registries that keep one entry per key (menu entries, panels, categories,
health signals, KPI sources) keep the last one declared: a later app's entry replaces an earlier
one of the same key.

So a new capability appears by declaring itself in its app's plugs module; no ``ready()`` to
write, and the core never imports a domain app. A list whose name no installed app offers, or that
holds something of another type, stops start-up with ``ImproperlyConfigured`` naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

#: The submodule of an app that holds its declarations.
MODULE = "plugs"


@dataclass(frozen=True)
class Kind:
    """One registry that apps plug into: declared in the owning app's ``kinds`` list.

    ``name`` is the name of the list the apps declare; each item must be an instance of ``type``
    (or, where the registry takes classes, such as audit actions, a subclass of it), and
    ``register(item)`` adds it to the registry."""

    name: str
    type: type
    register: Callable[[object], None]

    def accepts(self, item) -> bool:
        if isinstance(item, type):
            return issubclass(item, self.type)
        return isinstance(item, self.type)


def plugs_module(app_config: AppConfig) -> ModuleType | None:
    """The app's ``plugs`` module, or None for an app without one."""
    if not module_has_submodule(app_config.module, MODULE):
        return None
    return import_module(f"{app_config.name}.{MODULE}")


def declared_lists(module: ModuleType) -> dict[str, list]:
    """The module's declarations: each public module-level name bound to a list or tuple (its
    ``kinds`` aside), in the order the module defines them."""
    return {
        name: list(value)
        for name, value in vars(module).items()
        if not name.startswith("_") and name != "kinds" and isinstance(value, list | tuple)
    }


def kinds_offered(app_configs: Iterable[AppConfig]) -> dict[str, Kind]:
    """Every kind the apps offer, by name, in the apps' order."""
    found: dict[str, Kind] = {}
    for app_config in app_configs:
        module = plugs_module(app_config)
        for kind in getattr(module, "kinds", ()):
            if kind.name in found:
                raise ImproperlyConfigured(
                    f"{module.__name__} offers {kind.name!r}, which another app offers"
                )
            found[kind.name] = kind
    return found


def declarations(app_configs: Iterable[AppConfig], kinds: dict[str, Kind]) -> list[tuple[Kind, list]]:
    """What the apps declare, checked against ``kinds``: ``(kind, items)`` in the order ``plug_in``
    registers them."""
    by_kind: dict[str, list] = {name: [] for name in kinds}
    for app_config in app_configs:
        module = plugs_module(app_config)
        if module is None:
            continue
        for name, items in declared_lists(module).items():
            kind = kinds.get(name)
            if kind is None:
                raise ImproperlyConfigured(
                    f"{module.__name__} declares {name!r}, which no installed app offers "
                    f"(offered: {', '.join(kinds)})"
                )
            for item in items:
                if not kind.accepts(item):
                    raise ImproperlyConfigured(
                        f"{module.__name__}.{name} holds {item!r}, not a {kind.type.__name__}"
                    )
            by_kind[name] += items
    return [(kinds[name], items) for name, items in by_kind.items()]


def plug_in(app_configs: Iterable[AppConfig], kinds: dict[str, Kind] | None = None) -> int:
    """Register what ``app_configs`` declare, into the kinds they (or ``kinds``) offer; returns how
    many declarations were registered."""
    app_configs = list(app_configs)
    if kinds is None:
        kinds = kinds_offered(app_configs)
    count = 0
    for kind, items in declarations(app_configs, kinds):
        for item in items:
            kind.register(item)
            count += 1
    return count


_plugged_in = False


def plug_in_installed_apps() -> None:
    """``plug_in`` every installed app, once per process (called from ``PortalConfig.ready()``)."""
    global _plugged_in
    if not _plugged_in:
        plug_in(apps.get_app_configs())
        _plugged_in = True
