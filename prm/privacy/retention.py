"""Retention, applied per tenant by the daily job (``tasks.retention``).

- Audit entries older than ``audit_retention_months`` are deleted. The trail has no trigger or
  policy against deletion beyond row-level security (``prm/audit`` migrations): the job deletes
  as the web role inside the tenant's scope (``for_each_tenant``), so it can reach that tenant's
  rows only. The job's own entry is written after the deletion, so it survives it.
- Partners lost (stage ``lost``) for longer than ``lost_partner_retention_months``: their
  contacts, partner users and the applications that created them are erased with the erase code
  of a person (``erasure.erase_person``); the partner row and its money stay. A partner whose
  people are already erased is skipped, and one whose erasure is refused (a draft payout run) is
  counted as ``refused`` and tried again the next day.
- Copies of sent e-mails (the mail store, ``SentEmail``) older than ``sent_mail_retention_months``
  are deleted.
"""

from __future__ import annotations

from calendar import monthrange

from django.db import transaction
from django.utils import timezone

from onboarding.models import Application
from partners.choices import Stage
from partners.models import Contact, Partner, PartnerUser
from prm.audit.events import audit_record
from prm.audit.models import AuditEntry
from prm.notifications.models import SentEmail

from .audit_actions import PrivacyAudit
from .erasure import erase_person, erase_refusals
from .programme import privacy_programme_for
from .records import person_found
from .subject import ERASED_DOMAIN, Subject


def months_before(moment, months: int):
    """The same moment ``months`` calendar months earlier (the day clamped to the month's end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    return moment.replace(year=year, month=month + 1, day=min(moment.day, monthrange(year, month + 1)[1]))


def lost_partner_subject(tenant, partner) -> Subject:
    """The people of ``partner`` not yet erased: its contacts, active partner users, applications."""
    erased = f"@{ERASED_DOMAIN}"
    contacts = Contact.objects.for_tenant(tenant).filter(partner=partner).exclude(email__endswith=erased)
    contacts = contacts.exclude(name__startswith="Erased person #")
    links = PartnerUser.objects.for_tenant(tenant).filter(partner=partner, membership__is_active=True)
    applications = (
        Application.objects.for_tenant(tenant).filter(partner=partner).exclude(email__endswith=erased)
    )
    return Subject(
        tenant=tenant,
        contact_ids=set(contacts.values_list("pk", flat=True)),
        membership_ids=set(links.values_list("membership_id", flat=True)),
        application_ids=set(applications.values_list("pk", flat=True)),
    )


def _erase_lost_partners(tenant, cutoff) -> dict:
    totals = {"partners_erased": 0, "refused": 0}
    lost = Partner.objects.for_tenant(tenant).filter(stage=Stage.LOST, stage_entered_at__lt=cutoff)
    for partner in lost.order_by("pk"):
        subject = lost_partner_subject(tenant, partner)
        if subject.is_empty:
            continue
        person = person_found(subject)
        if erase_refusals(person, actor=None):
            totals["refused"] += 1
            continue
        with transaction.atomic():
            for kind, n in erase_person(person).items():
                totals[kind] = totals.get(kind, 0) + n
        totals["partners_erased"] += 1
    return totals


def retention_apply(*, tenant, now=None) -> dict:
    """Apply the tenant's retention settings; returns the counts (also audited when not all 0)."""
    now = now or timezone.now()
    settings = privacy_programme_for(tenant)
    counts: dict = {"audit_deleted": 0, "sent_mail_deleted": 0}
    if settings.audit_retention_months:
        old = AuditEntry.objects.for_tenant(tenant).filter(
            created_at__lt=months_before(now, settings.audit_retention_months)
        )
        counts["audit_deleted"] = old.delete()[0]
    if settings.sent_mail_retention_months:
        old = SentEmail.objects.for_tenant(tenant).filter(
            created_at__lt=months_before(now, settings.sent_mail_retention_months)
        )
        counts["sent_mail_deleted"] = old.delete()[0]
    if settings.lost_partner_retention_months:
        counts.update(
            _erase_lost_partners(tenant, months_before(now, settings.lost_partner_retention_months))
        )
    if any(counts.values()):
        audit_record(
            tenant=tenant,
            actor=None,
            action=PrivacyAudit.RETENTION,
            target=tenant,
            changes={"counts": counts},
        )
    return counts
