"""Leads from a CSV file (all or nothing, idempotent by external id) and from the public form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.events import audit_record
from prm.imports import ImportRejected, ImportResult, read_csv
from prm.net import over_limit
from prm.tenancy.context import tenant_context

from ..audit_actions import LeadAudit
from ..choices import LeadSource
from ..models import Lead
from .distribution import Routing, lead_create, lead_offer_next, lead_prepare

IMPORT_COLUMNS = [
    "external_id",
    "customer",
    "contact_name",
    "contact_email",
    "contact_phone",
    "region",
    "industry",
    "product",
    "description",
    "expected_amount",
    "currency",
    "language",
]
REQUIRED = ["external_id", "customer"]
MAX_ERRORS = 200
#: leads accepted from one address per hour on the public form, per tenant
FORM_LIMIT = 10


class TooManyLeads(ValidationError):
    pass


def leads_import(*, tenant, file, actor=None) -> ImportResult:
    """Import a CSV of leads: every bad row named, nothing written unless all are good; a row whose
    ``external_id`` exists already is ``unchanged``. The new leads are then offered by the rules."""
    rows = read_csv(file, REQUIRED)
    known = set(
        Lead.objects.for_tenant(tenant)
        .filter(external_id__in=[r["external_id"] for _n, r in rows])
        .values_list("external_id", flat=True)
    )
    errors, new, seen, unchanged = [], [], {}, 0
    for number, raw in rows:
        external_id = raw.get("external_id", "")
        if external_id in seen:
            errors.append(_error(number, "external_id", _("Repeats row %(r)d.") % {"r": seen[external_id]}))
            continue
        seen[external_id] = number
        if external_id in known:
            unchanged += 1
            continue
        fields = {c: raw.get(c, "") for c in IMPORT_COLUMNS}
        amount = fields.pop("expected_amount")
        try:
            fields["expected_amount"] = Decimal(amount) if amount else None
        except InvalidOperation:
            errors.append(_error(number, "expected_amount", _("Use a number, like 1234.50.")))
            continue
        try:
            new.append(lead_prepare(tenant=tenant, source=LeadSource.IMPORTED, actor=actor, **fields))
        except ValidationError as exc:
            errors += [_error(number, f, " ".join(m)) for f, m in exc.message_dict.items()]
    if errors:
        raise ImportRejected(errors[:MAX_ERRORS])
    with transaction.atomic():
        created = Lead.objects.for_tenant(tenant).bulk_create(new)
        audit_record(
            tenant=tenant,
            actor=actor,
            action=LeadAudit.LEADS_IMPORTED,
            target=tenant,
            changes={"created": [None, len(created)]},
        )
        routing = Routing(tenant)
        for lead in created:
            lead_offer_next(lead, routing=routing)
    return ImportResult(created=len(created), unchanged=unchanged)


def lead_submit_public(*, tenant, ip: str | None, **fields) -> Lead:
    """The public find-a-partner form: no one is signed in, so it runs in the tenant's scope itself."""
    if over_limit(f"leads-form:{tenant.pk}:{ip or 'unknown'}", FORM_LIMIT, 3600):
        raise TooManyLeads({"detail": [_("Too many requests from your address; try again in an hour.")]})
    with tenant_context(tenant):
        return lead_create(tenant=tenant, source=LeadSource.FORM, **fields)


def _error(row: int, field: str, message: str) -> dict:
    return {"row": row, "field": field, "message": str(message)}
