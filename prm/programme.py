"""A tenant's programme settings: one section per app, each app owning its own.

An app with settings keeps them under its own key of ``tenant.programme_settings`` and reads them
through its own accessor, with its own defaults and validation, in its ``programme`` module:

- ``partners.programme.settings``: the life cycle, deals, tiering and health (``programme_for``);
- ``scorecards.programme``: scoring, the vendor's answer time, installed-base reminders;
- ``incentives.programme``: the payout run's warnings and who it pays, MDF over-claims;
- ``onboarding.programme``: certification reminders and lapses.

No app reads another app's section. Where an app genuinely depends on another's decision it asks
the owner's accessor: leads routes only to partners the life cycle lets sell
(``partners.programme.settings.programme_for(tenant).selling_stages``), and so do deals and sales.

The programme page and the ``programme/`` endpoint show every section together, as one flat set of
names. Each app declares its ``ProgrammeSection`` (its ``programme_section`` module) in its plugs
module as ``programme_sections = [...]`` (see ``prm.plugs``); this module keeps them and composes
them, so the page and the endpoint import no app above them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError


def stored_section(tenant, key: str) -> dict:
    """What the tenant has stored under ``key`` (a copy; {} when nothing yet)."""
    return dict((tenant.programme_settings or {}).get(key) or {})


def plain_settings(cls, stored: dict):
    """An instance of ``cls``, a frozen dataclass of plain settings (int, float, bool, str, each with
    a default), from ``stored``: a stored value cast to its default's type, a missing one the
    default. Sections with nested settings (partners') read them themselves."""
    defaults = cls()
    return cls(
        **{
            field.name: type(getattr(defaults, field.name))(stored[field.name])
            for field in fields(cls)
            if field.name in stored
        }
    )


def plain_store(stored: dict, values: dict) -> dict:
    """The stored section after a change of plain settings: the new values over the old."""
    return {**stored, **values}


@dataclass(frozen=True)
class ProgrammeSection:
    """What an app adds to the programme page and the ``programme/`` endpoint.

    - ``key``: where its settings are stored, ``tenant.programme_settings[key]``;
    - ``title``: the page's heading for its fields;
    - ``names``: the names it owns in the flat ``programme/`` body (and in ``values``);
    - ``read(stored) -> settings``: its settings (its dataclass) from its stored dict;
    - ``validate(values) -> {name: [message]}``: the errors of a change of its names (none: {});
    - ``form_fields() -> {field name: forms.Field}``: its fields on the page, in their order;
    - ``api_fields() -> {name: serializers.Field}``: its fields of ``programme/`` (not required);
    - ``store(stored, values) -> stored``: its stored dict after a valid change (new over old);
    - ``form_initial(settings) -> dict`` and ``form_values(cleaned_data) -> values``: between its
      settings and its page fields; by default a field per name, an empty one left unchanged;
    - ``api_body(settings) -> dict``: its part of the ``programme/`` body (by default its names);
    - ``used_by``: where each page field is used, ``{field name: ((label, url name), ...)}``, a name
      ending in ``*`` standing for every field it starts (``"box_*"``); the page says "Used by: …"
      under the field, linking to those pages (url names under ``t/<tenant>/``).
    """

    key: str
    title: Any
    names: tuple[str, ...]
    read: Callable[[dict], Any]
    validate: Callable[[dict], dict]
    form_fields: Callable[[], dict]
    api_fields: Callable[[], dict]
    store: Callable[[dict, dict], dict] = plain_store
    form_initial: Callable[[Any], dict] | None = None
    form_values: Callable[[dict], dict] | None = None
    api_body: Callable[[Any], dict] | None = None
    used_by: dict = field(default_factory=dict)

    def used_for(self, name: str) -> tuple:
        """The ``(label, url name)`` pairs of the pages that use the page field ``name``."""
        if name in self.used_by:
            return tuple(self.used_by[name])
        for pattern, pages in self.used_by.items():
            if pattern.endswith("*") and name.startswith(pattern[:-1]):
                return tuple(pages)
        return ()

    def settings_for(self, tenant):
        """The tenant's settings of this section (its dataclass, defaults filled in)."""
        return self.read(stored_section(tenant, self.key))

    def initial(self, settings) -> dict:
        if self.form_initial:
            return self.form_initial(settings)
        return {name: getattr(settings, name) for name in self.names}

    def values_from(self, cleaned_data: dict) -> dict:
        if self.form_values:
            return self.form_values(cleaned_data)
        return {name: cleaned_data[name] for name in self.names if cleaned_data.get(name) not in (None, "")}

    def body(self, settings) -> dict:
        if self.api_body:
            return self.api_body(settings)
        return {name: getattr(settings, name) for name in self.names}


_sections: dict[str, ProgrammeSection] = {}


def register_programme_section(section: ProgrammeSection) -> None:
    """Add an app's section (a later one of the same key replaces it); two sections may not own a
    name, or the flat ``programme/`` body would not say whose it is."""
    others = {
        name: other.key for other in _sections.values() if other.key != section.key for name in other.names
    }
    clash = sorted(name for name in section.names if name in others)
    if clash:
        raise ValueError(f"programme section {section.key!r} names {clash}, owned by another section")
    _sections[section.key] = section


def programme_sections() -> list[ProgrammeSection]:
    """The declared sections, in the order the apps were plugged in (``INSTALLED_APPS``)."""
    return list(_sections.values())


def owner_of(name: str) -> ProgrammeSection | None:
    return next((section for section in _sections.values() if name in section.names), None)


def programme_body(tenant) -> dict:
    """Every section's settings of the tenant as one flat dict (the body of ``programme/``)."""
    body: dict = {}
    for section in programme_sections():
        body.update(section.body(section.settings_for(tenant)))
    return body


def programme_store(*, tenant, values: dict) -> dict:
    """Validate ``values`` (any names of any sections) and store them on the tenant, each section
    under its key; returns what changed, ``{stored name: [before, after]}``.

    Every section validates its own names first; with any error nothing is stored and a
    ``ValidationError`` names each bad field. Call it inside the caller's transaction (the caller
    records the change in the audit trail). A name no section owns is a programming error.
    """
    unknown = sorted(name for name in values if owner_of(name) is None)
    if unknown:
        raise ValueError(f"no programme section owns {unknown}")
    changes_by_section = {
        section.key: {name: values[name] for name in section.names if name in values}
        for section in programme_sections()
    }
    errors: dict = {}
    for section in programme_sections():
        if changes_by_section[section.key]:
            errors.update(section.validate(changes_by_section[section.key]))
    if errors:
        raise ValidationError(errors)
    settings = dict(tenant.programme_settings or {})
    changes: dict = {}
    for section in programme_sections():
        own = changes_by_section[section.key]
        if not own:
            continue
        before = stored_section(tenant, section.key)
        after = section.store(before, own)
        settings[section.key] = after
        changes.update({k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]})
    tenant.programme_settings = settings
    tenant.save(update_fields=["programme_settings"])
    return changes
