"""Inviting partner users: managers for any partner, partner admins for their own partner only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import PartnerUser
from prm.tenancy.capabilities import Capability, allows
from prm.tenancy.choices import Role
from prm.tenancy.services import member_add


@transaction.atomic
def partner_user_invite(
    *, tenant, actor, access, partner_id: int, username: str, email: str, make_admin: bool = False
):
    """Invite someone to a partner's portal (an e-mail with a link to set a password)."""
    if access.is_partner:
        link = PartnerUser.objects.for_tenant(tenant).filter(membership=access.membership).first()
        if link is None or not link.is_partner_admin:
            raise ValidationError({"detail": [_("Only a partner admin invites colleagues.")]})
        if partner_id != link.partner_id:
            raise ValidationError({"partner": [_("You can invite colleagues of your own partner only.")]})
    elif not allows(access.role, Capability.INVITE_PARTNER_USERS):
        raise ValidationError({"detail": [_("Your role may not invite partner users.")]})
    membership = member_add(
        tenant=tenant, actor=actor, username=username, email=email, role=Role.PARTNER, partner_id=partner_id
    )
    if make_admin:
        PartnerUser.objects.for_tenant(tenant).filter(membership=membership).update(is_partner_admin=True)
    return membership
