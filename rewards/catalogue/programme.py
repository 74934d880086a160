"""The catalogue's programme settings: when points expire.

Stored under ``tenant.programme_settings["catalogue"]``; read with ``catalogue_programme_for``;
shown on the programme page and in ``programme/`` through ``programme_section.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

KEY = "catalogue"
#: the longest life a tenant may give points (ten years)
MAX_MONTHS = 120


@dataclass(frozen=True)
class CatalogueProgramme:
    #: Points expire this many months after they were earned, oldest first (0: never);
    #: see ``rewards.catalogue.services.expiry``.
    points_expiry_months: int = 0


NAMES = ("points_expiry_months",)


def read(stored: dict) -> CatalogueProgramme:
    return plain_settings(CatalogueProgramme, stored)


def catalogue_programme_for(tenant) -> CatalogueProgramme:
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    """``points_expiry_months`` from 0 (never) to ``MAX_MONTHS``."""
    months = values.get("points_expiry_months", 0)
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = -1
    if not 0 <= months <= MAX_MONTHS:
        return {"points_expiry_months": [_("From 0 (never) to %(max)d months.") % {"max": MAX_MONTHS}]}
    return {}
