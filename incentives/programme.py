"""Incentives' programme settings: when the payout run warns of a jump, whether it pays partners
not signed yet, and what an MDF claim above its request gets.

Stored under ``tenant.programme_settings["incentives"]``; anything missing falls back to the
defaults below. Read with ``incentive_programme_for(tenant)``; shown on the programme page and in
``programme/`` through incentives' section (``programme_section.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

#: where incentives' settings are stored: ``tenant.programme_settings[KEY]``
KEY = "incentives"

#: An MDF claim above what remains of its request: ``refuse`` it, or ``pay_remaining`` (the claim
#: is accepted for what remains; the rest stays open as the claim's balance, shown to the partner).
MDF_OVER_CLAIM = ("refuse", "pay_remaining")


@dataclass(frozen=True)
class IncentiveProgramme:
    #: Payout runs warn when a partner's total is above this many times its average of earlier runs …
    jump_factor: float = 3.0
    #: … and above this amount (in the tenant's currency).
    jump_minimum: int = 1000
    #: Payout runs pay partners that are not signed yet (with a warning); off: only signed and certified.
    pay_unsigned_partners: bool = True
    #: How an MDF claim above what remains of its request is handled (MDF_OVER_CLAIM).
    mdf_over_claim: str = "refuse"


#: the names incentives owns in ``programme/`` and on the programme page
NAMES = ("jump_factor", "jump_minimum", "pay_unsigned_partners", "mdf_over_claim")


def read(stored: dict) -> IncentiveProgramme:
    return plain_settings(IncentiveProgramme, stored)


def incentive_programme_for(tenant) -> IncentiveProgramme:
    """The tenant's incentive settings."""
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    """The errors of a change of incentives' settings, ``{name: [message]}`` ({} when none):
    jump_factor above 1, jump_minimum 0 or more, mdf_over_claim one of ``MDF_OVER_CLAIM``."""
    errors = {}
    if not float(values.get("jump_factor", 3)) > 1:
        errors["jump_factor"] = [_("Warn above more than 1× the partner's average.")]
    if int(values.get("jump_minimum", 1000)) < 0:
        errors["jump_minimum"] = [_("An amount of 0 or more.")]
    if values.get("mdf_over_claim", "refuse") not in MDF_OVER_CLAIM:
        errors["mdf_over_claim"] = [_("Use one of: %(v)s.") % {"v": ", ".join(MDF_OVER_CLAIM)}]
    return errors
