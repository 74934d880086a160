"""Stating a partner's reward preferences: only its partner admin may."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import PartnerUser
from prm.audit.events import audit_record

from .audit_actions import PreferenceAudit
from .choices import RewardKind
from .models import RewardPreference


def is_partner_admin(*, tenant, access) -> bool:
    """Whether the caller is a partner user and its partner's admin."""
    if not access.is_partner:
        return False
    link = PartnerUser.objects.for_tenant(tenant).filter(membership=access.membership).first()
    return bool(link and link.is_partner_admin and link.partner_id == access.partner_id)


def clean_kinds(kinds) -> list[str]:
    """The kinds in order, checked: known kinds, each once."""
    if not isinstance(kinds, list | tuple) or not all(isinstance(k, str) for k in kinds):
        raise ValidationError({"kinds": [_("A list of kinds of reward, most preferred first.")]})
    unknown = [k for k in kinds if k not in RewardKind.values]
    if unknown:
        raise ValidationError(
            {"kinds": [_("Unknown kind of reward: %(kinds)s.") % {"kinds": ", ".join(unknown)}]}
        )
    if len(set(kinds)) != len(kinds):
        raise ValidationError({"kinds": [_("Name each kind of reward once.")]})
    return list(kinds)


@transaction.atomic
def preferences_state(*, tenant, access, actor, kinds) -> RewardPreference:
    """The partner admin states its partner's preferred kinds of reward, most preferred first (an
    empty list withdraws them). Other partner users and staff are refused. Audited."""
    if not is_partner_admin(tenant=tenant, access=access):
        raise ValidationError({"detail": [_("Only your partner's admin states its reward preferences.")]})
    kinds = clean_kinds(kinds)
    preference = (
        RewardPreference.objects.for_tenant(tenant)
        .select_for_update()
        .filter(partner_id=access.partner_id)
        .first()
    )
    before = preference.kinds if preference else []
    if preference is None:
        preference = RewardPreference(tenant=tenant, partner_id=access.partner_id)
    preference.kinds = kinds
    preference.changed_at = timezone.now()
    preference.changed_by = actor
    preference.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=PreferenceAudit.PREFERENCES_STATED,
        target=preference.partner,
        changes={"kinds": [before, kinds]},
    )
    return preference
