"""The tenant's retention settings: how long old audit rows, lost partners' people and copies of sent
e-mails are kept.

Stored under ``tenant.programme_settings["privacy"]``; read with ``privacy_programme_for(tenant)``;
shown on the programme page and in ``programme/`` through ``programme_section``. Both default to 0,
"keep forever": nothing is deleted or anonymised until the tenant's admin chooses a period.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

KEY = "privacy"
NAMES = ("audit_retention_months", "lost_partner_retention_months", "sent_mail_retention_months")
#: the longest period one may set (20 years)
MAX_MONTHS = 240


@dataclass(frozen=True)
class PrivacyProgramme:
    #: audit rows older than this many months are deleted by the daily job (0: kept forever)
    audit_retention_months: int = 0
    #: the people of a partner lost more than this many months ago are erased (0: never)
    lost_partner_retention_months: int = 0
    #: copies of sent e-mails (the *Sent mail* page) older than this many months are deleted (0: kept)
    sent_mail_retention_months: int = 0


def read(stored: dict) -> PrivacyProgramme:
    return plain_settings(PrivacyProgramme, stored)


def privacy_programme_for(tenant) -> PrivacyProgramme:
    """The tenant's retention settings."""
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    """Each period a whole number of months, 0 to ``MAX_MONTHS``."""
    errors = {}
    for name in NAMES:
        if name in values and not 0 <= int(values[name]) <= MAX_MONTHS:
            errors[name] = [_("Between 0 and %(n)d months.") % {"n": MAX_MONTHS}]
    return errors
