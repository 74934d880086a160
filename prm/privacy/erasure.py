"""Erasure: the person anonymised everywhere in one tenant, in one transaction, audited.

Records are kept and rewritten (names become "Erased person #<id>", e-mails a placeholder under
``erased.invalid``, phones and notes blanked, mentions in text replaced by "[erased]"), so
everything that points at them (payout lines, sales, approvals, history) still resolves and no
total changes. Files the person uploaded are deleted after the commit. The user account is
anonymised, deactivated and given an unusable password (its API tokens deleted) only when no
other tenant has it; otherwise only this tenant's membership is deactivated and the account stays.

Refused (``ValidationError``, nothing changed):
- erasing oneself (another admin must do it), or the tenant's last active admin;
- a partner user whose partner has lines in a draft payout run: finance checks those lines
  against the records behind them; approve the run (or recompute it) first, then erase.

Erasing again is harmless: the rows are rewritten to the same values, and an e-mail already
erased finds nothing more.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from incentives.choices import RunStatus
from incentives.models import PayoutLine
from partners.models import PartnerUser
from prm.audit.events import audit_record
from prm.tenancy.choices import Role
from prm.tenancy.context import user_context
from prm.tenancy.models import Membership

from .audit_actions import PrivacyAudit
from .records import SOURCES, Person, person_found
from .redaction import pattern, redact_json, redact_text
from .subject import Subject, placeholder_email, placeholder_name


def erase_refusals(person: Person, actor) -> list[str]:
    """Why this person may not be erased now (empty: they may)."""
    reasons = []
    if actor is not None and actor.pk in person.user_ids:
        reasons.append(_("You cannot erase your own personal data; ask another admin."))
    admins = [m for m in person.memberships if m.role == Role.ADMIN and m.is_active]
    if admins:
        others = Membership.objects.for_tenant(person.tenant).filter(role=Role.ADMIN, is_active=True)
        if not others.exclude(pk__in=[m.pk for m in admins]).exists():
            reasons.append(_("The tenant must keep at least one admin."))
    partners = PartnerUser.objects.for_tenant(person.tenant).filter(membership__in=person.memberships)
    drafts = PayoutLine.objects.for_tenant(person.tenant).filter(
        partner__in=partners.values("partner"), run__status=RunStatus.DRAFT
    )
    if drafts.exists():
        reasons.append(
            _(
                "Their partner has lines in a draft payout run that finance is checking: "
                "approve or recompute the run first, then erase."
            )
        )
    return reasons


def _contact(row, found):
    row.name, row.email, row.phone, row.role = (
        placeholder_name(row.pk),
        placeholder_email("contact", row.pk),
        "",
        "",
    )
    row.save(update_fields=["name", "email", "phone", "role"])


def _application(row, found):
    row.contact_name, row.email = placeholder_name(row.pk), placeholder_email("application", row.pk)
    row.phone = row.message = row.lines_carried = ""
    row.ip_address = None
    row.save(update_fields=["contact_name", "email", "phone", "message", "lines_carried", "ip_address"])


def _lead(row, found):
    row.contact_name = row.contact_email = row.contact_phone = ""
    row.description = redact_text(row.description, found)
    row.save(update_fields=["contact_name", "contact_email", "contact_phone", "description"])


def _product_registration(row, found):
    row.customer_email, row.customer_consent = "", False
    row.save(update_fields=["customer_email", "customer_consent"])


def _texts(*fields):
    def rewrite(row, found):
        for name in fields:
            setattr(row, name, redact_text(getattr(row, name), found))
        row.save(update_fields=list(fields))

    return rewrite


def _audit(row, found):
    # the rows stay (the trail is not rewritten in substance): only values naming the person change
    row.changes = redact_json(row.changes, found)
    row.target_repr, row.reason = redact_text(row.target_repr, found), redact_text(row.reason, found)
    row.save(update_fields=["changes", "target_repr", "reason"])


def _event(row, found):
    row.data = redact_json(row.data, found)
    row.save(update_fields=["data"])


def _preference(row, found):
    # a notification choice, or a stored copy of an e-mail sent to the person: nothing points at it
    row.delete()


def in_other_tenants(user_id: int, tenant) -> bool:
    """Whether the user is an active member of a tenant other than ``tenant``: read as that user,
    whom the database admits to their own memberships in every tenant (and nothing else of them)."""
    with user_context(user_id):
        others = Membership.objects.filter(user_id=user_id, is_active=True).exclude(tenant_id=tenant.pk)
        return others.exists()


def _member(row, found):
    row.is_active = False
    row.save(update_fields=["is_active"])
    if in_other_tenants(row.user_id, row.tenant):
        return
    user = get_user_model().objects.get(pk=row.user_id)
    user.username = f"erased-{user.pk}"
    user.first_name, user.last_name = placeholder_name(user.pk), ""
    user.email = placeholder_email("user", user.pk)
    user.is_active = False
    user.set_unusable_password()
    user.save()
    Token.objects.filter(user=user).delete()


ERASERS = {
    "contacts": _contact,
    "members": _member,
    "applications": _application,
    "leads": _lead,
    "product_registrations": _product_registration,
    "visits": _texts("summary", "next_step"),
    "objections": _texts("note"),
    "referrals": _texts("referrer"),
    "agreements": _texts("signatories"),
    "audit": _audit,
    "webhook_events": _event,
    "notification_preferences": _preference,
    "sent_emails": _preference,
}


def _files_uploaded(person: Person) -> list:
    """The stored files the person uploaded: agreement documents (deleted, the row kept)."""
    source = next(s for s in SOURCES if s.kind == "agreements")
    return [a for a in source.rows(person).filter(uploaded_by__in=person.user_ids) if a.document]


def erase_person(person: Person, actor=None) -> dict[str, int]:
    """Rewrite every record of ``person`` (see the module); returns {kind: rows}. Call it inside a
    transaction, after ``erase_refusals`` found nothing."""
    found = pattern(person.terms)
    erased: dict[str, int] = {}
    files = _files_uploaded(person)
    for source in SOURCES:
        rewrite = ERASERS.get(source.kind)
        if not source.erasable or rewrite is None:
            continue
        rows = list(source.rows(person).distinct().order_by("pk"))
        for row in rows:
            rewrite(row, found)
        if rows:
            erased[source.kind] = len(rows)
    for agreement in files:
        stored = agreement.document.name
        agreement.document, agreement.document_name = "", ""
        agreement.save(update_fields=["document", "document_name"])
        storage = agreement.document.storage
        transaction.on_commit(lambda name=stored, storage=storage: storage.delete(name))
    if files:
        erased["files"] = len(files)
    return erased


def personal_data_erase(*, subject: Subject, actor, confirm: str) -> dict[str, int]:
    """Erase the person ``subject`` names in its tenant; ``confirm`` must be
    ``subject.confirmation`` typed again. Returns {kind: rows erased}; audited with those counts
    only (never the erased values, nor who it was)."""
    if (confirm or "").strip().lower() != subject.confirmation.lower():
        raise ValidationError(
            {"confirm": [_("Type “%(c)s” to confirm the erasure.") % {"c": subject.confirmation}]}
        )
    with transaction.atomic():
        person = person_found(subject)
        refusals = erase_refusals(person, actor)
        if refusals:
            raise ValidationError({"detail": " ".join(refusals)})
        erased = erase_person(person, actor)
        audit_record(
            tenant=subject.tenant,
            actor=actor,
            action=PrivacyAudit.ERASED,
            target=subject.tenant,
            changes={"records": erased},
        )
    return erased
