"""The export: one JSON document with every record about a person in one tenant, audited."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from prm.audit.events import audit_record
from prm.tenancy.models import Membership

from .audit_actions import PrivacyAudit
from .records import SOURCES, Person, person_found
from .subject import Subject

#: fields never exported: secrets and the tenant (the document names it once)
SKIPPED = {"tenant", "password", "secret"}
USER_FIELDS = ("id", "username", "first_name", "last_name", "email", "last_login", "date_joined", "is_active")


def _value(row, field):
    value = getattr(row, field.attname)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    return value


def row_data(row) -> dict:
    """A row as plain values: every concrete field (foreign keys as ids), the secrets left out."""
    data = {f.attname: _value(row, f) for f in row._meta.concrete_fields if f.name not in SKIPPED}
    if isinstance(row, Membership):
        data["user"] = {name: getattr(row.user, name) for name in USER_FIELDS}
    return data


def document_for(person: Person) -> dict:
    """What the export holds: ``{"tenant", "email", "generated_at", "records": {kind: [rows]}}``."""
    records = {}
    for source in SOURCES:
        rows = [row_data(row) for row in source.rows(person).distinct().order_by("pk")]
        if rows:
            records[source.kind] = rows
    return {
        "tenant": person.tenant.slug,
        "email": person.subject.email,
        "generated_at": timezone.now(),
        "records": records,
    }


def personal_data_export(*, subject: Subject, actor) -> str:
    """The person's records in ``subject.tenant`` as a JSON text; audited with the record kinds
    and counts (not the values, and not who the person is)."""
    person = person_found(subject)
    document = document_for(person)
    with transaction.atomic():
        audit_record(
            tenant=subject.tenant,
            actor=actor,
            action=PrivacyAudit.EXPORTED,
            target=subject.tenant,
            changes={"records": {kind: len(rows) for kind, rows in document["records"].items()}},
        )
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
