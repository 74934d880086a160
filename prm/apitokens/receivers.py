"""What ends a user's tokens, wherever it happens, and what names a token in the audit trail.

- A password change revokes every token of the user: Django's ``set_password`` marks the user
  (``_password``), and the save that follows, whatever path it came from (the password change
  page, a reset link, the admin, a script's ``set_password`` + ``save``), is seen here. A hash
  upgraded at sign-in is not a change (Django clears the mark before that save).
- A membership that ends (deleted, or saved inactive) revokes every token of its user, audited in
  the tenants the user still belongs to and in the one that ended.
- Every audit entry written while a token-authenticated request is served says so in its reason.
- The request's token is forgotten when a request starts and finishes.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext as _

from prm.audit.models import AuditEntry
from prm.tenancy.models import Membership, Tenant

from . import context, services
from .models import RevokedBecause


def password_changed(sender, instance, created=False, raw=False, **kwargs):
    if created or raw or getattr(instance, "_password", None) is None:
        return
    services.revoke_all(user=instance, reason=RevokedBecause.PASSWORD_CHANGED)


def membership_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or instance.is_active:
        return
    services.revoke_all(user=instance.user, reason=RevokedBecause.MEMBERSHIP_ENDED, also_in=[instance.tenant])


def membership_deleted(sender, instance, origin=None, **kwargs):
    """A removed member's tokens end. When the user itself is deleted its tokens go with it; when
    the tenant is, the entries go to the user's other tenants only (the tenant's trail goes too)."""
    deleted = origin.model if isinstance(origin, QuerySet) else type(origin)
    if deleted is get_user_model():
        return
    also_in = [] if deleted is Tenant else [instance.tenant]
    services.revoke_all(user=instance.user, reason=RevokedBecause.MEMBERSHIP_ENDED, also_in=also_in)


def name_the_token(sender, instance, raw=False, **kwargs):
    """An audit entry written during a token-authenticated request names the token in its reason."""
    token = context.current_token()
    if raw or token is None or not instance._state.adding:
        return
    via = _("via API token '%(name)s' (%(prefix)s…)") % {"name": token.name, "prefix": token.prefix}
    instance.reason = f"{instance.reason} ({via})" if instance.reason else via[:1].upper() + via[1:]


def connect() -> None:
    user_model = get_user_model()
    post_save.connect(password_changed, sender=user_model, dispatch_uid="apitokens-password-changed")
    post_save.connect(membership_saved, sender=Membership, dispatch_uid="apitokens-membership-saved")
    post_delete.connect(membership_deleted, sender=Membership, dispatch_uid="apitokens-membership-deleted")
    pre_save.connect(name_the_token, sender=AuditEntry, dispatch_uid="apitokens-audit-via-token")
    request_started.connect(context.clear, dispatch_uid="apitokens-forget-on-start")
    request_finished.connect(context.clear, dispatch_uid="apitokens-forget-on-finish")
