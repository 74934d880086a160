"""Inviting partner users: managers for any partner, partner admins for their own partner only.

An invitation is all that is made here: the person joins (and becomes the partner's user) only
when they accept it, with a new account or the one they have (``prm.tenancy.invitations``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import PartnerUser
from prm.tenancy.capabilities import Capability, allows
from prm.tenancy.choices import Role
from prm.tenancy.invitations import invitation_create


def check_may_invite(*, tenant, access, partner_id: int) -> None:
    """Refuse anyone but a manager, or a partner admin for its own partner."""
    if access.is_partner:
        link = PartnerUser.objects.for_tenant(tenant).filter(membership=access.membership).first()
        if link is None or not link.is_partner_admin:
            raise ValidationError({"detail": [_("Only a partner admin invites colleagues.")]})
        if partner_id != link.partner_id:
            raise ValidationError({"partner": [_("You can invite colleagues of your own partner only.")]})
    elif not allows(access.role, Capability.INVITE_PARTNER_USERS):
        raise ValidationError({"detail": [_("Your role may not invite partner users.")]})


@transaction.atomic
def partner_user_invite(
    *,
    tenant,
    actor,
    access,
    partner_id: int,
    email: str,
    first_name: str = "",
    last_name: str = "",
    make_admin: bool = False,
):
    """Invite someone to a partner's portal: an e-mail with a link to accept. Returns the invitation."""
    check_may_invite(tenant=tenant, access=access, partner_id=partner_id)
    return invitation_create(
        tenant=tenant,
        actor=actor,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.PARTNER,
        partner_id=partner_id,
        partner_admin=make_admin,
    )
