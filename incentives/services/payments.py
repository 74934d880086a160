"""The money trail after approval: a run is exported (an explicit step), then paid partner by partner.

``payment_record`` keeps the bank's date and reference for what the run owes one partner;
``payments_import`` does the same for a whole bank or ERP file (all or nothing, a known payment
unchanged). When every partner the run owes is paid the run becomes ``paid``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incentives.audit_actions import IncentiveAudit
from partners.models import Partner
from prm.audit.events import audit_record
from prm.imports import ImportRejected, ImportResult, error, read_csv

from ..choices import FINAL_RUN_STATUSES, RunStatus
from ..models import Payment, PayoutRun
from ..selectors import amounts_owed


def _payable(run) -> PayoutRun:
    run = PayoutRun.objects.for_tenant(run.tenant_id).select_for_update().get(pk=run.pk)
    if run.status not in FINAL_RUN_STATUSES:
        raise ValidationError({"detail": [_("Approve the run before recording payments.")]})
    return run


@transaction.atomic
def payment_record(
    *, run, actor, partner, paid_on: date, reference: str, amount: Decimal | None = None
) -> Payment:
    """Finance records that the run's amount for ``partner`` was paid on ``paid_on`` with ``reference``."""
    run = _payable(run)
    owed = amounts_owed(tenant=run.tenant_id, run=run)
    problems = _check(run, owed, partner.pk, amount, reference, paid_on)
    if problems:
        raise ValidationError({field: [message] for field, message in problems})
    payment = Payment(
        tenant_id=run.tenant_id,
        run=run,
        partner=partner,
        amount=owed[partner.pk],
        currency=run.currency,
        paid_on=paid_on,
        reference=reference.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    payment.save()
    audit_record(
        tenant=run.tenant,
        actor=actor,
        action=IncentiveAudit.RUN_PAID,
        target=run,
        changes={
            "payment": [None, f"{partner.pk}: {payment.amount} {run.currency} {paid_on} {payment.reference}"]
        },
    )
    _settle(run, owed)
    return payment


def _check(run, owed: dict, partner_id: int, amount, reference: str, paid_on) -> list[tuple[str, str]]:
    """What is wrong with paying ``partner_id``: (field, message) pairs, empty when it may be paid."""
    problems = []
    if partner_id not in owed:
        problems.append(("partner", _("This run owes this partner nothing.")))
    elif amount is not None and Decimal(amount) != owed[partner_id]:
        problems.append(
            (
                "amount",
                _("The run owes %(owed)s %(cur)s to this partner, not %(amount)s.")
                % {"owed": owed[partner_id], "cur": run.currency, "amount": amount},
            )
        )
    if not (reference or "").strip():
        problems.append(("reference", _("Give the bank's or ERP's payment reference.")))
    if paid_on and paid_on > timezone.localdate():
        problems.append(("paid_on", _("A payment date cannot be in the future.")))
    if (
        partner_id in owed
        and Payment.objects.for_tenant(run.tenant_id).filter(run=run, partner_id=partner_id).exists()
    ):
        problems.append(("partner", _("This partner's payment for this run is recorded already.")))
    return problems


def _settle(run, owed: dict) -> None:
    """The run is paid once every partner it owes has a payment."""
    paid = set(Payment.objects.for_tenant(run.tenant_id).filter(run=run).values_list("partner_id", flat=True))
    if run.status != RunStatus.PAID and set(owed) <= paid:
        run.status, run.paid_at = RunStatus.PAID, timezone.now()
        run.save(allow_final=True, update_fields=["status", "paid_at"])


PAYMENT_COLUMNS = ("amount", "paid_on", "reference")


@transaction.atomic
def payments_import(*, run, actor, file) -> ImportResult:
    """A bank or ERP file: ``partner_id`` or ``payee_reference``, ``amount``, ``paid_on``, ``reference``.

    All or nothing, every bad row reported; a payment recorded already with the same date and
    reference is unchanged (re-importing the file creates nothing twice).
    """
    rows = read_csv(file, PAYMENT_COLUMNS)
    run = _payable(run)
    owed = amounts_owed(tenant=run.tenant_id, run=run)
    partners = Partner.objects.for_tenant(run.tenant_id).filter(pk__in=owed)
    by_payee = {p.payee_reference: p.pk for p in partners.only("id", "payee_reference") if p.payee_reference}
    existing = {p.partner_id: p for p in Payment.objects.for_tenant(run.tenant_id).filter(run=run)}
    errors, new, unchanged, seen = [], [], 0, set()
    for number, row in rows:
        before = len(errors)
        partner_id = _partner_of(row, by_payee, number, errors)
        try:
            amount = Decimal(row.get("amount", "").replace(",", ""))
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(error(number, "amount", _("A number like 620.00.")))
            amount = None
        try:
            paid_on = date.fromisoformat(row.get("paid_on", ""))
        except ValueError:
            errors.append(error(number, "paid_on", _("Use a date like 2026-10-05.")))
            paid_on = None
        if len(errors) > before:
            continue
        if partner_id in seen:
            errors.append(error(number, "partner_id", _("Repeats an earlier row.")))
            continue
        seen.add(partner_id)
        known = existing.get(partner_id)
        if known and (known.paid_on, known.reference, known.amount) == (paid_on, row["reference"], amount):
            unchanged += 1
            continue
        for field, message in _check(run, owed, partner_id, amount, row.get("reference", ""), paid_on):
            errors.append(error(number, field if field != "partner" else "partner_id", message))
        if len(errors) == before:
            new.append(
                Payment(
                    tenant_id=run.tenant_id,
                    run=run,
                    partner_id=partner_id,
                    amount=amount,
                    currency=run.currency,
                    paid_on=paid_on,
                    reference=row["reference"],
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            )
    if errors:
        raise ImportRejected(errors[:200])
    Payment.objects.for_tenant(run.tenant_id).bulk_create(new)
    if new:
        audit_record(
            tenant=run.tenant,
            actor=actor,
            action=IncentiveAudit.RUN_PAID,
            target=run,
            changes={"payments": [None, len(new)]},
            reason=getattr(file, "name", ""),
        )
    _settle(run, owed)
    return ImportResult(created=len(new), unchanged=unchanged)


def _partner_of(row, by_payee: dict, number: int, errors: list) -> int | None:
    raw = row.get("partner_id", "")
    if raw:
        if not raw.isdigit():
            errors.append(error(number, "partner_id", _("A partner id (a number).")))
            return None
        return int(raw)
    payee = row.get("payee_reference", "")
    if payee in by_payee:
        return by_payee[payee]
    errors.append(
        error(
            number, "payee_reference", _("Give partner_id, or a payee reference of a partner this run pays.")
        )
    )
    return None
