"""Invitations: how a person joins a tenant, always by their own acceptance.

Inviting asks nothing about accounts: the answer is the same whether the e-mail belongs to no
account, to an account of another tenant, or to several (only an active member of this very
tenant is named, which is this tenant's own data). The membership, and a partner user's link to
its partner, are made only when the person accepts on ``/invitations/<token>/``:

- with no account, they choose a username and password there (``invitation_accept_new``);
- with an account, they sign in as it and join (``invitation_accept``); its e-mail must be the
  invited one, so a link forwarded to someone else attaches no one.

A token is ``<tenant id>.<secret>``: the tenant id lets the public page read the invitation in its
tenant's scope (row-level security); the secret is kept only as a SHA-256 hash. A token works
once, until it expires (``VALID_FOR``), and stops working when revoked or resent.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.events import audit_record

from .audit_actions import TenancyAudit
from .choices import Role
from .context import tenant_context
from .invitation_mail import send_invitation
from .models import Invitation, InvitationStatus, Membership
from .services import check_partner, member_add

User = get_user_model()

#: how long an invitation's link works
VALID_FOR = timedelta(days=14)


class InvitationClosed(ValidationError):
    """The invitation was accepted, declined, revoked or has expired: its link does nothing more."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(tenant_id: int) -> str:
    return f"{tenant_id}.{secrets.token_urlsafe(32)}"


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token names, whatever its state; None for a token that names none."""
    tenant_id, dot, secret = token.partition(".")
    if not (dot and tenant_id.isdigit() and secret) or len(token) > 200:
        return None
    with tenant_context(int(tenant_id)):
        return (
            Invitation.objects.select_related("tenant", "invited_by")
            .filter(token_hash=token_hash(token))
            .first()
        )


def pending_invitations(*, tenant, partner_id: int | None = None):
    """The tenant's invitations still waiting for an answer (expired ones too, to resend or revoke),
    newest first; with ``partner_id``, those of that partner's users."""
    queryset = Invitation.objects.for_tenant(tenant).filter(
        accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True
    )
    if partner_id is not None:
        queryset = queryset.filter(role=Role.PARTNER, partner_id=partner_id)
    return queryset.select_related("invited_by").order_by("-created_at", "-id")


def _mail_on_commit(invitation: Invitation, token: str) -> None:
    transaction.on_commit(lambda: send_invitation(invitation=invitation, token=token))


@transaction.atomic
def invitation_create(
    *,
    tenant,
    actor,
    email: str,
    role: str,
    partner_id: int | None = None,
    partner_admin: bool = False,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Invite ``email`` to the tenant in ``role`` and mail the link; a pending invitation of the
    same address is replaced (its link stops working)."""
    check_partner(tenant, role, partner_id)
    email = User.objects.normalize_email(email.strip())
    members = Membership.objects.for_tenant(tenant).filter(user__email__iexact=email, is_active=True)
    if members.exists():
        raise ValidationError({"email": _("This person is a member already.")})
    now = timezone.now()
    replaced = pending_invitations(tenant=tenant).filter(email__iexact=email).select_related(None)
    for old in replaced.select_for_update(of=("self",)):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
        _audit(old, actor, TenancyAudit.INVITATION_REVOKED, reason=_("Replaced by a new invitation."))
    token = _new_token(tenant.pk)
    invitation = Invitation(
        tenant=tenant,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        partner_id=partner_id if role == Role.PARTNER else None,
        partner_admin=bool(partner_admin and role == Role.PARTNER),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        token_hash=token_hash(token),
        sent_at=now,
        expires_at=now + VALID_FOR,
    )
    invitation.full_clean(exclude=["token_hash", "tenant", "invited_by"])
    invitation.save()
    _audit(
        invitation,
        actor,
        TenancyAudit.INVITATION_SENT,
        changes={"role": [None, role], "partner": [None, invitation.partner_id]},
    )
    _mail_on_commit(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """Mail a new link (the old one stops working) with a fresh expiry."""
    invitation = _locked(invitation, allow_expired=True)
    token = _new_token(invitation.tenant_id)
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + VALID_FOR
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _audit(invitation, actor, TenancyAudit.INVITATION_RESENT)
    _mail_on_commit(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw an invitation that was not answered: its link says so from then on."""
    invitation = _locked(invitation, allow_expired=True)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _audit(invitation, actor, TenancyAudit.INVITATION_REVOKED)
    return invitation


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user=None) -> Invitation:
    """The invited person says no (signed in or not: the link is theirs)."""
    invitation = _locked(invitation)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    _audit(invitation, user, TenancyAudit.INVITATION_DECLINED)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """``user``, signed in, joins the tenant: only an account whose e-mail is the invited one."""
    invitation = _locked(invitation)
    if not user.is_authenticated or (user.email or "").strip().lower() != invitation.email.lower():
        raise ValidationError(
            {"detail": _("This invitation is for another e-mail address: sign in as the invited account.")}
        )
    if Membership.objects.for_tenant(invitation.tenant_id).filter(user=user).exists():
        raise ValidationError(
            {"detail": _("You are a member of %(tenant)s already.") % {"tenant": invitation.tenant.name}}
        )
    return _join(invitation, user)


@transaction.atomic
def invitation_accept_new(*, invitation: Invitation, username: str, password: str) -> Membership:
    """The invited person has no account: it is made with the username and password they chose."""
    invitation = _locked(invitation)
    user = User(
        username=username,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    try:  # what the sign-up form would refuse: a taken username, spaces, control characters
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationError({k: v for k, v in exc.message_dict.items() if k == "username"}) from None
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    return _join(invitation, user)


def _join(invitation: Invitation, user) -> Membership:
    tenant = invitation.tenant
    with tenant_context(tenant):
        membership = member_add(
            tenant=tenant,
            actor=user,
            user=user,
            role=invitation.role,
            partner_id=invitation.partner_id,
            partner_admin=invitation.partner_admin,
            reason=_("Invitation accepted."),
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _audit(invitation, user, TenancyAudit.INVITATION_ACCEPTED, changes={"user": [None, user.username]})
    return membership


def _locked(invitation: Invitation, *, allow_expired: bool = False) -> Invitation:
    """The invitation re-read under lock; refused unless it still waits for an answer."""
    with tenant_context(invitation.tenant_id):
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("tenant", "invited_by")
            .get(pk=invitation.pk)
        )
    status = locked.status
    if status == InvitationStatus.PENDING or (allow_expired and status == InvitationStatus.EXPIRED):
        return locked
    raise InvitationClosed({"detail": closed_message(status)})


def closed_message(status: str) -> str:
    """What a link says when its invitation is no longer open."""
    return {
        InvitationStatus.ACCEPTED: _("This invitation was accepted already."),
        InvitationStatus.DECLINED: _("This invitation was declined."),
        InvitationStatus.REVOKED: _("This invitation was withdrawn. Ask for a new one if you still need it."),
        InvitationStatus.EXPIRED: _("This invitation has expired. Ask for a new one if you still need it."),
    }.get(status, _("This invitation is still open."))


def _audit(invitation: Invitation, actor, action: str, changes=None, reason: str = "") -> None:
    audit_record(
        tenant=invitation.tenant,
        actor=actor,
        action=action,
        target=invitation,
        changes=changes,
        reason=reason,
    )
