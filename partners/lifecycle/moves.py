"""Creating partners and moving them through the life cycle."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import INACTIVE, PIPELINE, ReferralLevel, Stage
from partners.lifecycle.gates import is_inactive, run_on_enter, unmet_gates
from partners.models import Contact, Partner, RelationshipChange, StageChange
from partners.payloads import partner_payload
from partners.programme.settings import programme_for
from partners.reference.vocabularies import Vocabulary
from prm.audit.events import audit_record
from prm.audit.models import AuditEntry
from prm.formats.display import short_datetime
from prm.notifications import notify
from prm.tenancy.capabilities import Capability, roles_with
from prm.tenancy.choices import Role
from prm.tenancy.selectors import users_who_can
from prm.webhooks.events import emit

PARTNER_FIELDS = {
    "name",
    "region",
    "country",
    "industry",
    "website",
    "lines_carried",
    "source",
    "referrer",
    "referral_level",
    "owner",
    "operating_model",
    "on_target_list",
    "key_partner",
}


def _check_owner(tenant, owner) -> None:
    """A partner's owner is a member whose role works partners (``own_partners``): naming a finance
    or partner user, or someone outside the programme, is refused on the field."""
    if owner is None:
        return
    owners = users_who_can(tenant=tenant, capability=Capability.OWN_PARTNERS)
    if not owners.filter(pk=_plain(owner)).exists():
        raise ValidationError({"owner": [owner_refusal(owner)]})


def owner_refusal(owner) -> str:
    """Why ``owner`` (a user or a username) cannot own a partner, naming the roles that can."""
    roles = ", ".join(str(role.label) for role in Role if role in roles_with(Capability.OWN_PARTNERS))
    return _("%(user)s cannot own a partner: owners are members in one of these roles: %(roles)s.") % {
        "user": owner,
        "roles": roles,
    }


def _due_at(tenant, stage: str, entered_at):
    days = programme_for(tenant).time_box_days(stage)
    return entered_at + timedelta(days=days) if days else None


@transaction.atomic
def partner_create(*, tenant, actor, contacts: list[dict] | None = None, **fields) -> Partner:
    """Create a prospect (stage prospecting, due by the tenant's time box)."""
    unknown = set(fields) - PARTNER_FIELDS
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    fields = Vocabulary(tenant).partner_fields(fields)  # the lists' spellings, or a refusal naming them
    _check_owner(tenant, fields.get("owner"))
    now = timezone.now()
    partner = Partner(tenant=tenant, stage=Stage.PROSPECTING, stage_entered_at=now, **fields)
    partner.stage_due_at = _due_at(tenant, Stage.PROSPECTING, now)
    partner.full_clean(exclude=["tenant"])
    partner.save()
    for contact in contacts or []:
        contact_add(partner=partner, **contact)
    StageChange.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=partner,
        from_stage="",
        to_stage=Stage.PROSPECTING,
        changed_by=_user(actor),
        changed_at=now,
        note="",
    )
    if partner.referral_level:
        _relationship_moved(partner, actor, "", partner.referral_level, note="")
    audit_record(tenant=tenant, actor=actor, action=PartnerAudit.CREATED, target=partner)
    emit(tenant=tenant, name=PartnerAudit.CREATED, data=lambda: partner_payload(partner))
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, actor, **fields) -> Partner:
    unknown = set(fields) - PARTNER_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    fields = Vocabulary(partner.tenant).partner_fields(fields)
    partner = Partner.objects.for_tenant(partner.tenant_id).select_for_update().get(pk=partner.pk)
    if "owner" in fields and _plain(fields["owner"]) != partner.owner_id:
        _check_owner(partner.tenant, fields["owner"])
    changes = {}
    for name, value in fields.items():
        before = getattr(partner, name)
        if before != value:
            changes[name] = [_plain(before), _plain(value)]
            setattr(partner, name, value)
    partner.full_clean(exclude=["tenant"])
    if changes:
        partner.save(update_fields=list(changes))
        audit_record(
            tenant=partner.tenant, actor=actor, action=PartnerAudit.UPDATED, target=partner, changes=changes
        )
        if "referral_level" in changes:
            _relationship_moved(partner, actor, *changes["referral_level"], note="")
    return partner


@transaction.atomic
def relationship_set(*, partner: Partner, actor, level: str, note: str = "") -> Partner:
    """The referral relationship is now ``level`` (business, friendship, partnership): kept with its history."""
    if level not in ReferralLevel.values:
        raise ValidationError({"level": [_("Use business, friendship or partnership.")]})
    partner = Partner.objects.for_tenant(partner.tenant_id).select_for_update().get(pk=partner.pk)
    if partner.referral_level == level:
        raise ValidationError({"level": [_("The relationship is at this level already.")]})
    before = partner.referral_level
    partner.referral_level = level
    partner.save(update_fields=["referral_level"])
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit.RELATIONSHIP_CHANGED,
        target=partner,
        changes={"referral_level": [before or None, level]},
        reason=note,
    )
    _relationship_moved(partner, actor, before, level, note=note)
    return partner


def _relationship_moved(partner, actor, before, after, *, note: str) -> None:
    RelationshipChange.objects.for_tenant(partner.tenant_id).create(
        tenant_id=partner.tenant_id,
        partner=partner,
        from_level=before or "",
        to_level=after or "",
        note=note.strip(),
        changed_by=_user(actor),
    )


def contact_add(*, partner: Partner, name: str, role="", email="", phone="", is_primary=False) -> Contact:
    contact = Contact(
        tenant_id=partner.tenant_id,
        partner=partner,
        name=name,
        role=role,
        email=email,
        phone=phone,
        is_primary=is_primary,
    )
    contact.full_clean(exclude=["tenant", "partner"])
    contact.save()
    return contact


CONTACT_FIELDS = ("name", "role", "email", "phone", "is_primary")


@transaction.atomic
def contact_change(*, contact: Contact, actor, **fields) -> Contact:
    """Change a contact person's details (audited with before and after)."""
    changes = {
        k: [getattr(contact, k), v]
        for k, v in fields.items()
        if k in CONTACT_FIELDS and getattr(contact, k) != v
    }
    for field, (_before, after) in changes.items():
        setattr(contact, field, after)
    contact.full_clean(exclude=["tenant", "partner"])
    contact.save()
    if changes:
        audit_record(
            tenant=contact.partner.tenant,
            actor=actor,
            action=PartnerAudit.CONTACT_CHANGED,
            target=contact.partner,
            changes={f"{contact.name}: {k}": v for k, v in changes.items()},
        )
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, actor) -> None:
    """Remove a contact person; a partner in first talks or later keeps at least one."""
    partner = contact.partner
    if partner.stage not in (Stage.PROSPECTING, *INACTIVE) and partner.contacts.count() <= 1:
        raise ValidationError(
            {"detail": [_("A partner past prospecting keeps at least one contact person.")]}
        )
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit.CONTACT_REMOVED,
        target=partner,
        changes={"contact": [contact.name, None]},
    )
    contact.delete()


@transaction.atomic
def partner_transition(
    *, partner: Partner, to: str, actor, note: str = "", automatic: bool = False
) -> Partner:
    """Move a partner to stage ``to``; refuse with every unmet gate at once.

    Forward moves pass the gates of every stage they enter. Moves to lost or
    dormant, reactivations and moves back need a note saying why.
    """
    partner = Partner.objects.for_tenant(partner.tenant_id).select_for_update().get(pk=partner.pk)
    if to not in Stage.values:
        raise ValidationError({"to": [_("Unknown stage “%(s)s”.") % {"s": to}]})
    if to == partner.stage:
        raise ValidationError({"to": [_("The partner is in this stage already.")]})
    note = (note or "").strip()
    forward = (
        to in PIPELINE and partner.stage in PIPELINE and PIPELINE.index(to) > PIPELINE.index(partner.stage)
    )
    if not forward and not note:
        if to in INACTIVE:
            raise ValidationError({"note": [_("Say why the partner is lost or dormant.")]})
        raise ValidationError({"note": [_("Say why the partner moves back or is reactivated.")]})
    if forward or (is_inactive(partner.stage) and to in PIPELINE):
        problems = unmet_gates(partner, to, automatic=automatic)
        if problems:
            raise ValidationError({"to": problems})
    now = timezone.now()
    before = partner.stage
    partner.stage = to
    partner.stage_entered_at = now
    partner.stage_due_at = _due_at(partner.tenant, to, now)
    partner.inactive_reason = note if is_inactive(to) else ""
    partner.save(update_fields=["stage", "stage_entered_at", "stage_due_at", "inactive_reason"])
    StageChange.objects.for_tenant(partner.tenant_id).create(
        tenant_id=partner.tenant_id,
        partner=partner,
        from_stage=before,
        to_stage=to,
        changed_by=_user(actor),
        changed_at=now,
        note=note,
    )
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit.STAGE_MOVED,
        target=partner,
        changes={"stage": [before, to]},
        reason=note,
    )
    emit(
        tenant=partner.tenant,
        name="partner.stage_changed",
        data=lambda: {**partner_payload(partner), "from_stage": before, "note": note},
    )
    if to == Stage.CERTIFIED:
        emit(tenant=partner.tenant, name="partner.certified", data=lambda: partner_payload(partner))
    notify(
        tenant=partner.tenant,
        users=partner_portal_users(partner),
        category="stage_moves",
        subject=_("%(p)s: now %(s)s") % {"p": partner.name, "s": Stage(to).label},
        template="notifications/stage_moved.txt",
        context={"partner": partner, "note": note},
    )
    # The move is finished (its history, audit entry, events and e-mails are recorded with the
    # partner as it entered ``to``); only now do the stage's hooks react, so a move one of them
    # makes (signing that certifies) follows this one everywhere it is told.
    if run_on_enter(partner, to, actor=actor):
        partner.refresh_from_db()  # the answer shows the partner as it stands after them
    return partner


#: a second request for the same partner within this time is refused (the lead has it already)
APPROVAL_REQUEST_INTERVAL = timedelta(hours=24)


@transaction.atomic
def partner_request_approval(*, partner: Partner, actor, note: str = "") -> int:
    """Ask the tenant's regional leads to approve the candidate for signing; returns how many were told.

    The leads of the partner's region are not modelled apart: every active regional lead
    hears (admins when the tenant has no lead). Recorded in the audit trail; asking again
    within a day is refused.
    """

    if partner.lead_approved_at is not None:
        raise ValidationError({"detail": [_("The partner is approved already.")]})
    if partner.stage not in (Stage.FIRST_TALKS, Stage.SELECTION):
        raise ValidationError(
            {"detail": [_("A partner is approved for signing during first talks or selection.")]}
        )
    asked = (
        AuditEntry.objects.for_tenant(partner.tenant_id)
        .filter(
            action=PartnerAudit.APPROVAL_REQUESTED, target_type="partners.partner", target_id=str(partner.pk)
        )
        .filter(created_at__gte=timezone.now() - APPROVAL_REQUEST_INTERVAL)
        .order_by("-created_at")
        .first()
    )
    if asked:
        raise ValidationError(
            {
                "detail": [
                    _("Approval was asked for on %(when)s; the regional lead has the request.")
                    % {"when": short_datetime(asked.created_at)}
                ]
            }
        )
    users = get_user_model().objects.filter(
        is_active=True, memberships__is_active=True, memberships__tenant_id=partner.tenant_id
    )
    leads = list(users.filter(memberships__role=Role.REGIONAL_LEAD)) or list(
        users.filter(memberships__role=Role.ADMIN)
    )
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit.APPROVAL_REQUESTED,
        target=partner,
        reason=note,
    )
    return notify(
        tenant=partner.tenant,
        users=leads,
        category="approval_requests",
        subject=_("Approval for signing asked: %(p)s") % {"p": partner.name},
        template="notifications/approval_requested.txt",
        context={"partner": partner, "note": note, "who": actor},
    )


def partner_portal_users(partner) -> list:
    """The partner's own portal users (who hear about what concerns their partner)."""

    return list(
        get_user_model().objects.filter(
            memberships__partner_link__partner=partner, memberships__is_active=True, is_active=True
        )
    )


@transaction.atomic
def partner_approve_for_signing(*, partner: Partner, actor, note: str = "") -> Partner:
    """The regional lead's decision that the candidate may be signed."""
    if partner.lead_approved_at is not None:
        raise ValidationError({"detail": [_("The partner is approved already.")]})
    if partner.stage not in (Stage.FIRST_TALKS, Stage.SELECTION):
        raise ValidationError(
            {"detail": [_("A partner is approved for signing during first talks or selection.")]}
        )
    partner.lead_approved_at = timezone.now()
    partner.lead_approved_by = _user(actor)
    partner.save(update_fields=["lead_approved_at", "lead_approved_by"])
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit.APPROVED_FOR_SIGNING,
        target=partner,
        reason=note,
    )
    return partner


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _plain(value):
    return getattr(value, "pk", value) if value is not None else None
