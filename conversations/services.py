"""The channel's use cases that write: raise a request, reply in its thread, close it.

Each locks the request's row, writes, records the audit entry and leaves its webhook event and
e-mail for after the commit (``prm.webhooks.events.emit``, ``prm.notifications.notify``).

- A partner user raises a request for its own partner; its partner's owner (the channel manager)
  is e-mailed, or the tenant's admins while the partner has no owner.
- The vendor's side replies (``request.answered``): the partner's owner, any regional lead, an
  admin; another channel manager is refused. The first answer is measured in business days
  against ``first_due_at``. The partner user who raised it is e-mailed.
- The partner's side replies: a request answered or closed opens again, due anew.
- Either side closes it (``request.closed``); a closed request is closed once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from prm.audit.events import audit_record
from prm.files import JPEG, PDF, PNG, check_upload
from prm.notifications import notify
from prm.tenancy.choices import Role
from prm.tenancy.selectors import tenant_members
from prm.webhooks.events import emit

from .audit_actions import ConversationAudit
from .businesstime import business_days_between, business_deadline
from .choices import Category, Status
from .models import PartnerRequest, RequestMessage
from .payloads import request_payload
from .programme import conversation_programme_for

#: the notification category of the channel's e-mails (``plugs.notification_categories``)
CATEGORY = "requests"


def may_answer(partner_request: PartnerRequest, access) -> bool:
    """Whether the caller answers for the vendor here: an admin, a regional lead, or the partner's
    owner (its channel manager)."""
    role = access.role
    if role in (Role.ADMIN, Role.REGIONAL_LEAD):
        return True
    return role == Role.CHANNEL_MANAGER and partner_request.partner.owner_id == access.membership.user_id


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write what you want to say.")]})
    return text


def _managers_of(partner) -> list:
    """Who hears of a new request: the partner's owner, else the tenant's admins."""
    if partner.owner_id:
        return [partner.owner]
    return [m.user for m in tenant_members(tenant=partner.tenant, role=Role.ADMIN) if m.is_active]


@transaction.atomic
def request_raise(
    *, tenant, access, actor, category: str, subject: str, text: str, attachment=None, now=None
) -> PartnerRequest:
    """A partner user raises a request, idea or complaint for its partner (staff are refused)."""
    if not access.is_partner:
        raise ValidationError({"detail": [_("Partner users raise requests; answer them from the queue.")]})
    if category not in Category.values:
        raise ValidationError({"category": [_("Choose a request, an idea or a complaint.")]})
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": [_("Give the request a subject.")]})
    text = _text(text)
    checked = check_upload(attachment, field="attachment", accept=(PDF, PNG, JPEG)) if attachment else None
    partner = Partner.objects.for_tenant(tenant).select_related("owner").get(pk=access.partner_id)
    now = now or timezone.now()
    due = business_deadline(now, conversation_programme_for(tenant).allowed)
    partner_request = PartnerRequest(
        tenant=tenant,
        partner=partner,
        raised_by=actor,
        category=category,
        subject=subject[:200],
        raised_at=now,
        first_due_at=due,
        due_at=due,
    )
    if checked:
        partner_request.attachment = attachment
        partner_request.attachment_name = checked.original_name
    partner_request.save()
    RequestMessage.objects.for_tenant(tenant).create(
        tenant=tenant, request=partner_request, author=actor, from_vendor=False, text=text, created_at=now
    )
    audit_record(
        tenant=tenant,
        actor=actor,
        action=ConversationAudit.REQUEST_RAISED,
        target=partner_request,
        changes={"status": [None, Status.OPEN]},
    )
    emit(tenant=tenant, name="request.raised", data=lambda: request_payload(partner_request))
    notify(
        tenant=tenant,
        users=_managers_of(partner),
        category=CATEGORY,
        subject=_("%(partner)s raised a request: %(subject)s")
        % {"partner": partner.name, "subject": subject},
        template="notifications/request_raised.txt",
        context={"request": partner_request, "partner": partner, "text": text},
    )
    return partner_request


def _locked(partner_request) -> PartnerRequest:
    return (
        PartnerRequest.objects.for_tenant(partner_request.tenant_id)
        .select_for_update(of=("self",))
        .select_related("partner", "tenant", "raised_by")
        .get(pk=partner_request.pk)
    )


@transaction.atomic
def request_reply(*, partner_request, access, actor, text: str, now=None) -> RequestMessage:
    """Add a message to the thread: the vendor's answer or the partner's reply (see the module)."""
    partner_request = _locked(partner_request)
    tenant = partner_request.tenant
    text = _text(text)
    now = now or timezone.now()
    if access.is_partner:
        return _partner_reply(partner_request, actor, text, now)
    if not may_answer(partner_request, access):
        raise ValidationError(
            {
                "detail": [
                    _("The partner's channel manager, a regional lead or an admin answers this request.")
                ]
            }
        )
    if partner_request.status == Status.CLOSED:
        raise ValidationError(
            {"detail": [_("This request is closed; the partner opens it again by replying.")]}
        )
    message = RequestMessage.objects.for_tenant(tenant).create(
        tenant=tenant, request=partner_request, author=actor, from_vendor=True, text=text, created_at=now
    )
    changes = {"status": [partner_request.status, Status.ANSWERED]}
    partner_request.status = Status.ANSWERED
    if partner_request.first_answered_at is None:
        partner_request.first_answered_at = now
        partner_request.answer_business_days = business_days_between(partner_request.raised_at, now)
        partner_request.answered_in_time = now <= partner_request.first_due_at
        changes["answered_in_time"] = [None, partner_request.answered_in_time]
    partner_request.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=ConversationAudit.REQUEST_ANSWERED,
        target=partner_request,
        changes=changes,
    )
    emit(tenant=tenant, name="request.answered", data=lambda: request_payload(partner_request))
    if partner_request.raised_by is not None:
        notify(
            tenant=tenant,
            users=[partner_request.raised_by],
            category=CATEGORY,
            subject=_("Your request was answered: %(subject)s") % {"subject": partner_request.subject},
            template="notifications/request_answered.txt",
            context={"request": partner_request, "text": text},
        )
    return message


def _partner_reply(partner_request, actor, text, now) -> RequestMessage:
    """The partner's side writes: an answered or closed request waits for the vendor again."""
    tenant = partner_request.tenant
    message = RequestMessage.objects.for_tenant(tenant).create(
        tenant=tenant, request=partner_request, author=actor, from_vendor=False, text=text, created_at=now
    )
    if partner_request.status != Status.OPEN:
        partner_request.status = Status.OPEN
        partner_request.due_at = business_deadline(now, conversation_programme_for(tenant).allowed)
        partner_request.closed_at = None
        partner_request.closed_by = None
        partner_request.save(update_fields=["status", "due_at", "closed_at", "closed_by"])
    return message


@transaction.atomic
def request_close(*, partner_request, access, actor, now=None) -> PartnerRequest:
    """Either side closes the request: its partner's users, or whoever answers it for the vendor."""
    partner_request = _locked(partner_request)
    if not access.is_partner and not may_answer(partner_request, access):
        raise ValidationError(
            {"detail": [_("The partner's channel manager, a regional lead or an admin closes this request.")]}
        )
    if partner_request.status == Status.CLOSED:
        raise ValidationError({"detail": [_("This request is closed already.")]})
    before = partner_request.status
    partner_request.status = Status.CLOSED
    partner_request.closed_at = now or timezone.now()
    partner_request.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    partner_request.save(update_fields=["status", "closed_at", "closed_by"])
    tenant = partner_request.tenant
    audit_record(
        tenant=tenant,
        actor=actor,
        action=ConversationAudit.REQUEST_CLOSED,
        target=partner_request,
        changes={"status": [before, Status.CLOSED]},
    )
    emit(tenant=tenant, name="request.closed", data=lambda: request_payload(partner_request))
    return partner_request
