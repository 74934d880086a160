"""Writing KPI definitions, targets (one by one or by CSV) and engagement inputs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import ReferenceKind
from partners.models import Partner
from partners.reference.vocabularies import Vocabulary
from prm.audit.events import audit_record
from prm.imports import ImportRejected, ImportResult, read_csv
from prm.periods import parse_period
from scorecards.audit_actions import ScorecardAudit

from ..choices import VENDOR_SOURCES, Side, unit_of_source
from ..defaults import ensure_default_kpis
from ..models import Kpi, ProductRegistration, SatisfactionResult, Target
from .installed_base import catalogue, lifecycle_dates


@transaction.atomic
def kpi_save(*, tenant, actor, kpi: Kpi | None = None, **fields) -> Kpi:
    """Create or change a KPI (audited). A new KPI without a ``side`` takes its source's: what the
    vendor does for the partner (visits, answers, funds) or the partner's own effort; without a
    ``unit``, its source's too (money, percent, else a number)."""
    if kpi is None and not fields.get("side"):
        fields["side"] = Side.VENDOR if fields.get("source") in VENDOR_SOURCES else Side.PARTNER
    if kpi is None and not fields.get("unit"):
        fields["unit"] = unit_of_source(fields.get("source", ""))
    kpi = kpi or Kpi(tenant=tenant)
    before = {f: getattr(kpi, f) for f in fields} if kpi.pk else {}
    for name, value in fields.items():
        setattr(kpi, name, value)
    kpi.full_clean(exclude=["tenant"], validate_unique=False)
    if Kpi.objects.for_tenant(tenant).filter(code=kpi.code).exclude(pk=kpi.pk).exists():
        raise ValidationError({"code": [_("A KPI with this code exists already.")]})
    kpi.save()
    changes = {f: [str(before.get(f)) if kpi.pk and f in before else None, str(v)] for f, v in fields.items()}
    audit_record(tenant=tenant, actor=actor, action=ScorecardAudit.KPI_SAVED, target=kpi, changes=changes)
    return kpi


@transaction.atomic
def target_set(*, tenant, actor, partner: Partner, period: str, kpi: Kpi, value: Decimal) -> Target:
    """Agree a target (replacing an earlier one, which the partner must then acknowledge again)."""
    code = parse_period(period).code
    target, created = Target.objects.for_tenant(tenant).update_or_create(
        tenant=tenant,
        partner=partner,
        period=code,
        kpi=kpi,
        defaults={"value": value, "acknowledged_at": None, "acknowledged_by": None},
    )
    return target


def target_acknowledge(*, target: Target, actor) -> Target:
    """The partner records that it saw and agreed the target."""
    if target.acknowledged_at is None:
        target.acknowledged_at, target.acknowledged_by = timezone.now(), actor
        target.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return target


def targets_import(*, tenant, actor, file) -> ImportResult:
    """CSV ``partner, period, kpi, value``: all or nothing, every bad row reported, idempotent."""
    ensure_default_kpis(tenant)
    rows = read_csv(file, ("partner", "period", "kpi", "value"))
    partners = {str(p.pk): p for p in Partner.objects.for_tenant(tenant)}
    partners.update({p.name.casefold(): p for p in list(partners.values())})
    kpis = {k.code: k for k in Kpi.objects.for_tenant(tenant)}
    existing = {(t.partner_id, t.period, t.kpi_id): t.value for t in Target.objects.for_tenant(tenant)}
    errors, parsed, seen = [], [], {}
    for number, values in rows:
        partner = partners.get(values["partner"]) or partners.get(values["partner"].casefold())
        if partner is None:
            errors.append({"row": number, "field": "partner", "message": _("No such partner.")})
        try:
            period = parse_period(values["period"]).code
        except ValidationError:
            errors.append({"row": number, "field": "period", "message": _("Use 2026-07 or 2026-Q3.")})
            period = None
        kpi = kpis.get(values["kpi"])
        if kpi is None:
            errors.append({"row": number, "field": "kpi", "message": _("No such KPI code.")})
        try:
            value = Decimal(values["value"])
            if not value.is_finite() or value.as_tuple().exponent < -2 or abs(value) >= Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                {"row": number, "field": "value", "message": _("Use a number with at most two decimals.")}
            )
            value = None
        if partner and period and kpi and value is not None:
            key = (partner.pk, period, kpi.pk)
            if key in seen:
                errors.append(
                    {"row": number, "field": "kpi", "message": _("Repeats row %(r)d.") % {"r": seen[key]}}
                )
            seen[key] = number
            parsed.append((key, partner, period, kpi, value))
    if errors:
        raise ImportRejected(errors)
    created = unchanged = 0
    with transaction.atomic():
        for key, partner, period, kpi, value in parsed:
            if existing.get(key) == value:
                unchanged += 1
                continue
            target_set(tenant=tenant, actor=actor, partner=partner, period=period, kpi=kpi, value=value)
            created += 1
    return ImportResult(created=created, unchanged=unchanged)


def product_registration_add(
    *,
    tenant,
    actor,
    partner: Partner,
    customer,
    product,
    serial,
    date=None,
    customer_email="",
    customer_language="",
    customer_consent=False,
):
    """Register a product sold to an end customer; its warranty end and next service come from the
    product catalogue (``installed_base.lifecycle_dates``)."""

    try:
        product = Vocabulary(tenant).canonical(ReferenceKind.PRODUCT, product)
    except ValidationError as exc:
        raise ValidationError({"product": exc.messages}) from None
    if ProductRegistration.objects.for_tenant(tenant).filter(product=product, serial=serial).exists():
        raise ValidationError({"serial": [_("This product and serial number are registered already.")]})
    day = date or timezone.localdate()
    registration = ProductRegistration(
        tenant=tenant,
        partner=partner,
        customer=customer,
        product=product,
        serial=serial,
        date=day,
        customer_email=customer_email or "",
        customer_language=customer_language or "",
        customer_consent=bool(customer_consent),
        **lifecycle_dates(product, day, catalogue(tenant)),
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    registration.full_clean(exclude=["tenant", "partner"], validate_unique=False)
    registration.save()
    return registration


def satisfaction_add(*, tenant, partner: Partner, score: int, date=None, respondent="", comment=""):
    result = SatisfactionResult(
        tenant=tenant,
        partner=partner,
        score=score,
        date=date or timezone.localdate(),
        respondent=respondent,
        comment=comment,
    )
    result.full_clean(exclude=["tenant", "partner"])
    result.save()
    return result
