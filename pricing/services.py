"""Writing the price list: a CSV import, all or nothing, errors naming the row and the field.

One row per product, currency, first valid day and tier::

    product,currency,valid_from,valid_to,list_price,tier,max_discount,minimum_price
    RX-200 arm,EUR,2026-01-01,,2400.00,A,25,1700.00

Rows of one product, currency and ``valid_from`` share the list price and ``valid_to``; ``tier``
with its ``max_discount`` (a percentage, 0–100) and ``minimum_price`` sets that tier's terms (a row
without a tier sets the list price alone). A known price with the same values is unchanged; with
other values it is changed (counted with the new ones). The validities of one product and currency
must not overlap, the file's and those stored. Re-importing a file writes nothing twice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from partners.choices import Tier
from prm.audit.events import audit_record
from prm.imports import ImportRejected, ImportResult, error, read_csv

from .audit_actions import PricingAudit
from .models import ListPrice, TierTerms

COLUMNS = (
    "product",
    "currency",
    "valid_from",
    "valid_to",
    "list_price",
    "tier",
    "max_discount",
    "minimum_price",
)
REQUIRED = ("product", "currency", "valid_from", "list_price")
MAX_ERRORS = 200


def _money(text: str, *, allow_zero: bool = False) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero) or value.adjusted() > 11:
        return None
    return value.quantize(Decimal("0.01"))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _parse(number: int, row: dict, errors: list) -> dict | None:
    """One row's values, or None with its problems added to ``errors``."""
    found = []
    product = row.get("product", "")
    if not product or len(product) > 200:
        found.append(error(number, "product", _("A product name of up to 200 characters.")))
    currency = row.get("currency", "").upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        found.append(error(number, "currency", _("A three-letter currency code.")))
    valid_from = _day(row.get("valid_from", ""))
    if valid_from is None:
        found.append(error(number, "valid_from", _("Use a date like 2026-07-01.")))
    valid_to = None
    if row.get("valid_to"):
        valid_to = _day(row["valid_to"])
        if valid_to is None:
            found.append(error(number, "valid_to", _("Use a date like 2026-12-31, or leave it empty.")))
        elif valid_from is not None and valid_to < valid_from:
            found.append(error(number, "valid_to", _("Not before valid_from.")))
    list_price = _money(row.get("list_price", ""))
    if list_price is None:
        found.append(error(number, "list_price", _("An amount above zero, such as 2400.00.")))
    tier = row.get("tier", "").upper()
    max_discount = minimum = None
    if tier:
        if tier not in Tier.values:
            found.append(error(number, "tier", _("One of A, B, C, D, or empty.")))
        max_discount = _money(row.get("max_discount", ""), allow_zero=True)
        if max_discount is None or max_discount > 100:
            found.append(error(number, "max_discount", _("A percentage from 0 to 100.")))
        minimum = _money(row.get("minimum_price", ""), allow_zero=True)
        if minimum is None:
            found.append(error(number, "minimum_price", _("An amount of 0 or more, such as 1700.00.")))
    elif row.get("max_discount") or row.get("minimum_price"):
        found.append(error(number, "tier", _("Name the tier these terms are for.")))
    errors += found
    if found:
        return None
    return {
        "key": (product, currency, valid_from),
        "valid_to": valid_to,
        "list_price": list_price,
        "tier": tier,
        "max_discount": max_discount,
        "minimum_price": minimum,
    }


def _overlaps(prices: dict, numbers: dict) -> list[dict]:
    """Validities of one product and currency that overlap: one error per row that opens a second."""
    found, by_product = [], {}
    for (product, currency, start), values in prices.items():
        by_product.setdefault((product, currency), []).append(
            (start, values["valid_to"], (product, currency, start))
        )
    for spans in by_product.values():
        spans.sort(key=lambda span: span[0])
        for (_start, end, before), (start, _end, key) in zip(spans, spans[1:], strict=False):
            if end is None or end >= start:
                row = numbers.get(key) or numbers.get(before, 0)
                found.append(
                    error(
                        row,
                        "valid_from",
                        _("Overlaps the validity of another price of this product and currency."),
                    )
                )
    return found


def prices_import(*, tenant, actor, file) -> ImportResult:
    """Import the price list from CSV (``COLUMNS``): all or nothing; ``created`` counts the prices
    and tier terms written (new or changed), ``unchanged`` those already so."""
    rows = read_csv(file, REQUIRED)
    errors: list[dict] = []
    prices: dict[tuple, dict] = {}
    terms: dict[tuple, dict] = {}
    numbers: dict[tuple, int] = {}
    for number, row in rows:
        parsed = _parse(number, row, errors)
        if parsed is None:
            continue
        key = parsed["key"]
        if key in prices and (prices[key]["list_price"], prices[key]["valid_to"]) != (
            parsed["list_price"],
            parsed["valid_to"],
        ):
            errors.append(error(number, "list_price", _("Differs from an earlier row of this price.")))
            continue
        prices.setdefault(key, {"list_price": parsed["list_price"], "valid_to": parsed["valid_to"]})
        numbers.setdefault(key, number)
        if parsed["tier"]:
            if (key, parsed["tier"]) in terms:
                errors.append(error(number, "tier", _("Repeats an earlier row's tier for this price.")))
                continue
            terms[(key, parsed["tier"])] = {
                "max_discount": parsed["max_discount"],
                "minimum_price": parsed["minimum_price"],
            }
    with transaction.atomic():
        stored = {
            (p.product, p.currency, p.valid_from): p
            for p in ListPrice.objects.for_tenant(tenant).select_for_update().order_by("pk")
        }
        merged = {key: {"valid_to": p.valid_to} for key, p in stored.items()}
        merged.update(prices)
        errors += _overlaps(merged, numbers)
        if errors:
            raise ImportRejected(sorted(errors, key=lambda e: e["row"])[:MAX_ERRORS])
        return _write(tenant, actor, prices, terms, stored)


def _write(tenant, actor, prices: dict, terms: dict, stored: dict) -> ImportResult:
    written = unchanged = 0
    for key, values in prices.items():
        price = stored.get(key)
        if price is None:
            product, currency, start = key
            price = ListPrice.objects.for_tenant(tenant).create(
                tenant=tenant, product=product, currency=currency, valid_from=start, **values
            )
            stored[key] = price
            written += 1
        elif (price.list_price, price.valid_to) != (values["list_price"], values["valid_to"]):
            price.list_price, price.valid_to = values["list_price"], values["valid_to"]
            price.save(update_fields=["list_price", "valid_to"])
            written += 1
        else:
            unchanged += 1
    known = {
        (t.price_id, t.tier): t
        for t in TierTerms.objects.for_tenant(tenant).filter(price__in=[stored[k] for k, _tier in terms])
    }
    for (key, tier), values in terms.items():
        price = stored[key]
        term = known.get((price.pk, tier))
        if term is None:
            TierTerms.objects.for_tenant(tenant).create(tenant=tenant, price=price, tier=tier, **values)
            written += 1
        elif (term.max_discount, term.minimum_price) != (values["max_discount"], values["minimum_price"]):
            term.max_discount, term.minimum_price = values["max_discount"], values["minimum_price"]
            term.save(update_fields=["max_discount", "minimum_price"])
            written += 1
        else:
            unchanged += 1
    if written:
        audit_record(
            tenant=tenant,
            actor=actor,
            action=PricingAudit.PRICES_IMPORTED,
            target=tenant,
            changes={"written": [None, written], "unchanged": [None, unchanged]},
        )
    return ImportResult(created=written, unchanged=unchanged)
