"""Sales records: one by one, or imported from CSV all-or-nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partners import live
from partners.choices import ReferenceKind
from partners.models import Partner, Sale
from partners.programme.settings import not_selling_message, programme_for
from partners.reference.vocabularies import Vocabulary
from partners.selling.deals import deals_won_by_sales
from prm.currency.codes import currency_refusal
from prm.imports import ImportRejected, ImportResult, read_csv

IMPORT_COLUMNS = ["external_id", "partner", "date", "product", "quantity", "amount", "currency", "customer"]
REQUIRED = ["external_id", "partner", "date", "product", "amount"]
MAX_ERRORS = 200
COMPARED = ["partner_id", "date", "product", "quantity", "amount", "currency", "customer"]


def sale_create(*, tenant, partner: Partner, **fields) -> Sale:
    programme = programme_for(tenant)
    if not programme.sells(partner.stage):
        raise ValidationError({"partner": [not_selling_message(partner, programme)]})
    fields["currency"] = (fields.get("currency") or tenant.currency).upper()
    if reason := currency_refusal(fields["currency"]):
        raise ValidationError({"currency": [reason]})
    try:
        fields["product"] = Vocabulary(tenant).canonical(ReferenceKind.PRODUCT, fields.get("product", ""))
    except ValidationError as exc:
        raise ValidationError({"product": exc.messages}) from None
    sale = Sale(tenant=tenant, partner=partner, **fields)
    sale.full_clean(exclude=["tenant", "partner"])
    duplicate = ValidationError({"external_id": [_("A sale with this external id exists already.")]})
    if Sale.objects.for_tenant(tenant).filter(external_id=sale.external_id).exists():
        raise duplicate
    try:
        with transaction.atomic():
            sale.save()
            deals_won_by_sales(tenant=tenant, sales=[sale])
    except IntegrityError:  # booked by a parallel request meanwhile
        raise duplicate from None
    return sale


def sales_import(*, tenant, file) -> ImportResult:
    """Import a CSV of sales: every bad row reported, nothing written unless all are good.

    ``partner`` is the partner's id or exact name. A row whose ``external_id``
    exists already with the same values is ``unchanged`` (re-imports create
    nothing twice); with other values it is an error, since a booked sale is
    corrected by a new (negative) sale, not by editing.
    """
    rows, errors = _read(file)
    if errors:
        raise ImportRejected(errors)
    names = {}
    for p in Partner.objects.for_tenant(tenant).values_list("name", flat=True):
        names[p.casefold()] = names.get(p.casefold(), 0) + 1
    partners = list(Partner.objects.for_tenant(tenant).only("id", "name", "stage"))
    by_id = {str(p.pk): p.pk for p in partners}
    by_name = {p.name.casefold(): p.pk for p in partners}
    programme = programme_for(tenant)
    not_selling = {p.pk: not_selling_message(p, programme) for p in partners if not programme.sells(p.stage)}
    existing = {
        s.external_id: s
        for s in Sale.objects.for_tenant(tenant).filter(external_id__in=[r["external_id"] for _, r in rows])
    }
    seen, new, unchanged = {}, [], 0
    vocabulary = Vocabulary(tenant)
    for number, raw in rows:
        sale, row_errors = _parse(tenant, number, raw, by_id, by_name, names, vocabulary)
        if sale is not None and sale.partner_id in not_selling:
            row_errors.append(_error(number, "partner", not_selling[sale.partner_id]))
        errors += row_errors
        if row_errors:
            continue
        if sale.external_id in seen:
            errors.append(
                _error(number, "external_id", _("Repeats row %(r)d.") % {"r": seen[sale.external_id]})
            )
            continue
        seen[sale.external_id] = number
        old = existing.get(sale.external_id)
        if old is None:
            new.append(sale)
        elif all(getattr(old, f) == getattr(sale, f) for f in COMPARED):
            unchanged += 1
        else:
            errors.append(
                _error(number, "external_id", _("Exists with other values; book a correction as a new sale."))
            )
    if errors:
        raise ImportRejected(errors[:MAX_ERRORS])
    try:
        with transaction.atomic():
            Sale.objects.for_tenant(tenant).bulk_create(new)
            deals_won_by_sales(tenant=tenant, sales=new)
            live.touch(tenant.pk, (sale.partner_id for sale in new))  # (bulk_create sends no signal)
    except IntegrityError:  # another import booked the same external ids meanwhile
        raise ImportRejected(
            [_error(0, "external_id", _("Some of these sales were booked meanwhile; import again."))]
        ) from None
    return ImportResult(created=len(new), unchanged=unchanged)


def _read(file):
    try:
        return read_csv(file, REQUIRED), []
    except ImportRejected as exc:
        return [], exc.errors


def _parse(tenant, number, raw, by_id, by_name, names, vocabulary):
    errors = []
    try:
        product = vocabulary.canonical(ReferenceKind.PRODUCT, raw.get("product", ""))
    except ValidationError as exc:
        product = ""
        errors.append(_error(number, "product", " ".join(exc.messages)))
    for column in REQUIRED:
        if not raw.get(column):
            errors.append(_error(number, column, _("This field is required.")))
    given = raw.get("partner", "")
    partner_id = by_id.get(given) or by_name.get(given.casefold())
    if given and partner_id is None:
        errors.append(_error(number, "partner", _("No such partner.")))
    elif given and given not in by_id and names.get(given.casefold(), 0) > 1:
        errors.append(_error(number, "partner", _("Several partners have this name; use the partner's id.")))
    day = _date(raw.get("date", ""))
    if raw.get("date") and day is None:
        errors.append(_error(number, "date", _("Use a date like 2026-07-31.")))
    amount = _decimal(raw.get("amount", ""))
    if raw.get("amount") and amount is None:
        errors.append(_error(number, "amount", _("Use a number with at most two decimals, like 1234.50.")))
    quantity = _decimal(raw.get("quantity") or "1")
    if quantity is None:
        errors.append(_error(number, "quantity", _("Use a number.")))
    currency = (raw.get("currency") or tenant.currency).strip().upper()
    if reason := currency_refusal(currency):
        errors.append(_error(number, "currency", reason))
    if errors:
        return None, errors
    sale = Sale(
        tenant=tenant,
        external_id=raw["external_id"],
        partner_id=partner_id,
        date=day,
        product=product,
        quantity=quantity,
        amount=amount,
        currency=currency,
        customer=raw.get("customer", ""),
    )
    try:
        sale.clean_fields(exclude=["tenant", "partner"])
    except ValidationError as exc:
        return None, [_error(number, f, " ".join(m)) for f, m in exc.message_dict.items()]
    return sale, []


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _decimal(value):
    """A number with at most two decimals; anything finer is refused, never rounded here."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or number.as_tuple().exponent < -2 or number.adjusted() >= 12:
        return None
    return number.quantize(Decimal("0.01"))


def _error(row: int, field: str, message: str) -> dict:
    return {"row": row, "field": field, "message": str(message)}
