"""Which three letters name a currency: ISO 4217's list, as the ``pycountry`` package keeps it.

ISO 4217 also gives codes to things that are not money one is paid in: ``XXX`` (no currency at
all), ``XTS`` (kept for testing), precious metals (``XAU`` gold, ``XAG``, ``XPD``, ``XPT``) and
units of account (``XDR`` and the bond-market and regional units). A sale, or anything the API takes
as a currency, in one of them is refused with its reason; anything off the list as not ISO 4217.
"""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: ISO 4217 codes that name no currency a sale is made in: code -> what they stand for instead
NOT_MONEY = {
    "XXX": gettext_lazy("no currency at all"),
    "XTS": gettext_lazy("testing only"),
    "XAU": gettext_lazy("gold"),
    "XAG": gettext_lazy("silver"),
    "XPD": gettext_lazy("palladium"),
    "XPT": gettext_lazy("platinum"),
    **{
        code: gettext_lazy("a unit of account")
        for code in ("XDR", "XSU", "XUA", "XAD", "XBA", "XBB", "XBC", "XBD")
    },
}

#: every ISO 4217 code of a currency one is paid in
CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies) - NOT_MONEY.keys()


def currency_refusal(code: str) -> str | None:
    """Why ``code`` (upper case) is not a currency to book money in, or None when it is one."""
    if code in CURRENCIES:
        return None
    if code in NOT_MONEY:
        return _(
            "In ISO 4217, %(code)s stands for %(what)s, not a currency money is paid in; use one like EUR."
        ) % {"code": code, "what": NOT_MONEY[code]}
    return _("%(code)s is not an ISO 4217 currency code; use one like EUR, USD or BRL.") % {"code": code}


def validate_currency(code: str) -> None:
    """A validator: ValidationError with the refusal's reason for a code that is no currency."""
    reason = currency_refusal(code)
    if reason:
        raise ValidationError(reason, code="currency")
