"""Keeping the tenant's reference lists: add or change a value, or import a list (all or nothing)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import ReferenceKind
from partners.models import ReferenceItem
from prm.audit.events import audit_record
from prm.imports import ImportRejected, ImportResult, error, read_table

COLUMNS = ("kind", "name", "aliases", "price", "warranty_months", "service_months")


def _aliases(value) -> list[str]:
    if isinstance(value, str):
        value = value.split("|")
    return sorted({" ".join(a.split()) for a in (value or []) if a and a.strip()})


@transaction.atomic
def reference_save(
    *, tenant, actor, kind: str, name: str, item: ReferenceItem | None = None, **fields
) -> ReferenceItem:
    """Add a value to a list (or change one): its name, other spellings, and for products the price,
    warranty and service intervals."""
    if kind not in ReferenceKind.values:
        raise ValidationError({"kind": [_("One of: %(k)s.") % {"k": ", ".join(ReferenceKind.values)}]})
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Name the value.")]})
    clash = ReferenceItem.objects.for_tenant(tenant).filter(kind=kind, name__iexact=name)
    if clash.exclude(pk=getattr(item, "pk", None)).exists():
        raise ValidationError({"name": [_("“%(n)s” is in this list already.") % {"n": name}]})
    item = item or ReferenceItem(tenant=tenant)
    item.kind, item.name = kind, name
    if "aliases" in fields:
        fields["aliases"] = [a for a in _aliases(fields["aliases"]) if a.casefold() != name.casefold()]
    for field, value in fields.items():
        setattr(item, field, value)
    item.full_clean(exclude=["tenant"], validate_unique=False)
    item.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=PartnerAudit.REFERENCE_SAVED,
        target=item,
        changes={"name": [None, name]},
    )
    return item


def reference_import(*, tenant, actor, file) -> ImportResult:
    """A CSV or XLSX of ``kind, name[, aliases (a|b), price, warranty_months, service_months]``: every
    bad row named, nothing written unless all are good; a value already listed with the same details
    is unchanged, with other details it is updated."""
    rows = read_table(file, ("kind", "name"))
    existing = {(i.kind, i.name.casefold()): i for i in ReferenceItem.objects.for_tenant(tenant)}
    errors, seen, parsed = [], {}, []
    for number, row in rows:
        kind = (row.get("kind") or "").strip().lower().replace(" ", "_")
        name = " ".join((row.get("name") or "").split())
        if kind not in ReferenceKind.values:
            errors.append(error(number, "kind", _("One of: %(k)s.") % {"k": ", ".join(ReferenceKind.values)}))
        if not name:
            errors.append(error(number, "name", _("Name the value.")))
        details = {"aliases": _aliases(row.get("aliases", ""))}
        try:
            details["price"] = Decimal(row["price"]) if row.get("price") else None
            if details["price"] is not None and details["price"] < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(error(number, "price", _("A price of 0 or more, like 1250.00.")))
        for column in ("warranty_months", "service_months"):
            value = row.get(column, "")
            if value and not value.isdigit():
                errors.append(error(number, column, _("A whole number of months.")))
            details[column] = int(value) if value.isdigit() else None
        key = (kind, name.casefold())
        if key in seen:
            errors.append(error(number, "name", _("Repeats row %(r)d.") % {"r": seen[key]}))
        seen[key] = number
        parsed.append((key, kind, name, details))
    if errors:
        raise ImportRejected(errors)
    created = unchanged = 0
    with transaction.atomic():
        for key, kind, name, details in parsed:
            item = existing.get(key)
            if item and all(getattr(item, f) == v for f, v in details.items()):
                unchanged += 1
                continue
            reference_save(tenant=tenant, actor=actor, kind=kind, name=name, item=item, **details)
            created += item is None
    return ImportResult(created=created, unchanged=unchanged)
