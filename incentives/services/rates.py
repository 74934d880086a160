"""The exchange-rate table (``prm.currency``'s, kept by finance here): rates are added (one by one or
from CSV), never edited. A rate added for a past date re-converts the sales it applies to
(``partners.selling.conversion``): in the same transaction when they are few, else by a job
(``sales_reconvert``); both audited with the periods whose figures moved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incentives.audit_actions import IncentiveAudit
from partners.selling.conversion import sales_reconvert_for_rates
from partners.tasks import reconvert_sales
from prm.audit.events import audit_record
from prm.currency.models import ExchangeRate
from prm.imports import ImportRejected, ImportResult, read_csv
from prm.jobs.services import job_start


def rate_add(*, tenant, actor, currency: str, date, rate: Decimal) -> ExchangeRate:
    currency = currency.upper()
    if currency == tenant.currency:
        raise ValidationError({"currency": [_("The programme's own currency needs no rate.")]})
    if rate <= 0:
        raise ValidationError({"rate": [_("A rate is above zero.")]})
    if ExchangeRate.objects.for_tenant(tenant).filter(currency=currency, date=date).exists():
        raise ValidationError({"date": [_("A rate for this currency and day exists; rates are not edited.")]})
    item = ExchangeRate(tenant=tenant, currency=currency, date=date, rate=rate)
    item.full_clean(exclude=["tenant"], validate_unique=False)
    with transaction.atomic():
        item.save()
        audit_record(
            tenant=tenant,
            actor=actor,
            action=IncentiveAudit.RATE_ADDED,
            target=item,
            changes={"rate": [None, str(rate)]},
        )
        _reconvert(tenant, actor, [item])
    return item


def rates_import(*, tenant, actor, file) -> ImportResult:
    """CSV ``currency, date, rate``: all or nothing, errors by row; a known rate is unchanged."""
    rows = read_csv(file, ("currency", "date", "rate"))
    existing = {
        (c, d): r
        for c, d, r in ExchangeRate.objects.for_tenant(tenant).values_list("currency", "date", "rate")
    }
    errors, new, unchanged, seen = [], [], 0, set()
    for number, row in rows:
        currency = (row.get("currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha() or currency == tenant.currency:
            errors.append(
                {
                    "row": number,
                    "field": "currency",
                    "message": _("A three-letter code other than the programme's."),
                }
            )
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            errors.append({"row": number, "field": "date", "message": _("Use a date like 2026-07-01.")})
            day = None
        try:
            rate = Decimal((row.get("rate") or "").strip())
            if not rate.is_finite() or rate <= 0 or rate.adjusted() > 9:
                raise InvalidOperation
        except InvalidOperation:
            errors.append({"row": number, "field": "rate", "message": _("A positive number.")})
            rate = None
        if day is None or rate is None or errors and errors[-1]["row"] == number:
            continue
        key = (currency, day)
        if key in seen:
            errors.append({"row": number, "field": "date", "message": _("Repeats an earlier row.")})
            continue
        seen.add(key)
        if key not in existing:
            new.append(ExchangeRate(tenant=tenant, currency=currency, date=day, rate=rate))
        elif existing[key] == rate:
            unchanged += 1
        else:
            message = _("A different rate exists for this day; rates are not edited.")
            errors.append({"row": number, "field": "rate", "message": message})
    if errors:
        raise ImportRejected(errors[:200])
    with transaction.atomic():
        ExchangeRate.objects.for_tenant(tenant).bulk_create(new)
        _reconvert(tenant, actor, new)
    return ImportResult(created=len(new), unchanged=unchanged)


def _reconvert(tenant, actor, added: list[ExchangeRate]) -> list[dict]:
    """The sales ``added`` rates apply to, re-converted now or by a job (``sales_reconvert``)."""

    def start_job(span, rate):
        job_start(
            tenant=tenant,
            kind="sales_reconvert",
            task=reconvert_sales,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            params={**span.as_params(), "rate": rate.pk},
        )

    return sales_reconvert_for_rates(tenant=tenant, actor=actor, added=added, start_job=start_job)
