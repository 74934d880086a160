"""Price discipline's programme settings: whether sales below the minimum price earn incentives,
and how far back a breach counts against the partner's health (its integrity).

Stored under ``tenant.programme_settings["pricing"]``; read with ``pricing_programme_for``; shown on
the programme page and in ``programme/`` through ``programme_section.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

KEY = "pricing"
#: the longest look-back a tenant may set for the health signal, in days
MAX_DAYS = 730


@dataclass(frozen=True)
class PricingProgramme:
    #: Sales below the tier's minimum resale price still earn incentives (the payout run warns);
    #: off: the run leaves them out, and its warning says so.
    below_minimum_earns: bool = True
    #: A sale below the minimum or a deal registered below the band within this many days is a
    #: ``price_breach`` health signal of the partner (an input to its integrity).
    breach_days: int = 90


NAMES = ("below_minimum_earns", "breach_days")


def read(stored: dict) -> PricingProgramme:
    return plain_settings(PricingProgramme, stored)


def pricing_programme_for(tenant) -> PricingProgramme:
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    """``breach_days`` from 1 to ``MAX_DAYS``; ``below_minimum_earns`` true or false."""
    errors = {}
    try:
        days = int(values.get("breach_days", 90))
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        errors["breach_days"] = [_("From 1 to %(max)d days.") % {"max": MAX_DAYS}]
    if not isinstance(values.get("below_minimum_earns", True), bool):
        errors["below_minimum_earns"] = [_("Yes or no.")]
    return errors
