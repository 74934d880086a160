"""Just-in-time provisioning: a provider vouched for a person; create or update them and sign them in.

``sign_in`` is shared by every protocol (OIDC, SAML): the protocol's views check the provider's
answer (signature, audience, expiry) with their library, then pass what it said here. What it does,
in the provider's tenant:

- the provider's subject is found in ``ExternalIdentity``; a changed e-mail at the provider updates
  the account rather than creating a second one;
- a first sign-in links an existing account with the same e-mail only when that account is already a
  member of this tenant; an account of other tenants only is never attached (refused), so a provider
  can never take over another tenant's person by naming their address;
- the groups decide the role (``role_mapping``); no mapped group means no access: an active
  membership is deactivated (recorded) and the sign-in refused;
- the membership is created, reactivated or its role changed (each recorded in the audit trail), a
  partner's provider links the member to its partner;
- the user is logged in with ``django.contrib.auth.login`` and the session marked
  ``prm_signed_in_with = "sso"`` (the two-factor check treats it as verified by the provider).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.events import audit_record
from prm.tenancy.access import partner_directory
from prm.tenancy.choices import STAFF_ROLES, Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership

from .audit_actions import SsoAudit
from .directory import normalised_domain
from .models import ExternalIdentity, IdentityProvider

User = get_user_model()

#: the session key the two-factor middleware reads; its value for sessions an identity provider opened
SIGNED_IN_WITH = "prm_signed_in_with"
#: the session key naming the provider that opened the session
SIGNED_IN_PROVIDER = "prm_sso_provider"
#: the backend recorded in the session: it reloads the user by id and checks ``is_active``
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
#: when several mapped groups apply, the strongest role wins
ROLE_PRECEDENCE = [Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD, Role.FINANCE, Role.PARTNER]


class SignInRefused(Exception):
    """The provider's person may not sign in here; ``message`` says why, for the refusal page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def mapped_role(provider: IdentityProvider, groups: Iterable[str]) -> str | None:
    """The role the groups map to (the strongest when several do), or None."""
    allowed = {Role.PARTNER} if provider.is_partner_provider else STAFF_ROLES
    mapping = provider.role_mapping or {}
    roles = {mapping[g] for g in groups if isinstance(g, str) and mapping.get(g) in allowed}
    return next((r for r in ROLE_PRECEDENCE if r in roles), None)


def sign_in(
    request,
    provider: IdentityProvider,
    *,
    subject: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    groups: Iterable[str] = (),
):
    """Create or update the provider's person and their membership, and log them in.

    Raises ``SignInRefused`` (after recording why) when the person may not enter; a membership the
    groups no longer grant is deactivated before that, and stays so.
    """
    groups = [g for g in groups if isinstance(g, str)] if not isinstance(groups, str) else [groups]
    with tenant_context(provider.tenant_id):
        try:
            with transaction.atomic():
                user = _provision(
                    provider,
                    subject=str(subject or ""),
                    email=(email or "").strip(),
                    first_name=first_name or "",
                    last_name=last_name or "",
                    groups=groups,
                )
            if user is None:  # the groups grant nothing: the removal is committed, the sign-in refused
                raise SignInRefused(_("Your company's sign-in no longer gives you access here."))
        except SignInRefused as refusal:
            audit_record(
                tenant=provider.tenant,
                actor=None,
                action=SsoAudit.REFUSED,
                target=provider,
                changes={"subject": [None, str(subject)[:255]], "email": [None, (email or "")[:254]]},
                reason=refusal.message,
            )
            raise
    login(request, user, backend=SESSION_BACKEND)
    request.session[SIGNED_IN_WITH] = "sso"
    request.session[SIGNED_IN_PROVIDER] = provider.pk
    return user


def _provision(provider, *, subject, email, first_name, last_name, groups):
    """The signed-in user, or None when their groups map no role (access removed, if they had any)."""
    tenant = provider.tenant
    if not subject:
        raise SignInRefused(_("The identity provider did not say who you are."))
    if not normalised_domain(email) or not provider.serves(email):
        raise SignInRefused(
            _("Your e-mail address “%(email)s” is not one this company's sign-in serves.") % {"email": email}
        )
    if (
        provider.is_partner_provider
        and not partner_directory().partners(tenant).filter(pk=provider.partner_id).exists()
    ):
        raise SignInRefused(_("This sign-in belongs to a partner that no longer exists."))
    identity = (
        ExternalIdentity.objects.for_tenant(tenant)
        .select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    user = identity.user if identity else _existing_account(tenant, email)
    role = mapped_role(provider, groups)
    if role is None:
        if user is not None:
            _remove_access(provider, user)
            return None
        raise SignInRefused(_("Your company's sign-in gives you no role in %(tenant)s.") % {"tenant": tenant})
    created = user is None
    if created:
        user = _create_user(email, first_name, last_name)
    else:
        if not user.is_active:
            raise SignInRefused(_("Your account is disabled."))
        _update_user(user, email, first_name, last_name)
    if identity is None:
        identity = ExternalIdentity.objects.for_tenant(tenant).create(
            tenant=tenant, provider=provider, subject=subject, user=user, email=email
        )
    identity.email = email
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["email", "last_sign_in_at"])
    membership = _grant(provider, user, role, created=created)
    audit_record(
        tenant=tenant,
        actor=user,
        action=SsoAudit.SIGNED_IN,
        target=membership,
        changes={"provider": [None, provider.name], "groups": [None, groups[:50]]},
    )
    return user


def _existing_account(tenant, email: str):
    """The local account with this e-mail, when it may be linked: only a member of this tenant."""
    accounts = list(User.objects.filter(email__iexact=email)[:2])
    if not accounts:
        return None
    if len(accounts) > 1:
        raise SignInRefused(_("Several accounts use this e-mail address; ask your administrator."))
    account = accounts[0]
    if not Membership.objects.for_tenant(tenant).filter(user=account).exists():
        raise SignInRefused(
            _("An account with this e-mail address exists already; ask your administrator to add it here.")
        )
    return account


def _unique_username(email: str) -> str:
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}.{n}"
    return username


def _create_user(email, first_name, last_name):
    user = User(
        username=_unique_username(email), email=email, first_name=first_name[:150], last_name=last_name[:150]
    )
    user.set_unusable_password()
    user.save()
    return user


def _update_user(user, email, first_name, last_name):
    changed = []
    for field, value in (("email", email), ("first_name", first_name[:150]), ("last_name", last_name[:150])):
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)


def _grant(provider, user, role, *, created: bool) -> Membership:
    """The user's membership with ``role`` (created, reactivated or changed, each recorded)."""
    tenant = provider.tenant
    reason = _("Signed in through %(provider)s.") % {"provider": provider.name}
    membership = Membership.objects.for_tenant(tenant).filter(user=user).first()
    directory = partner_directory()
    if created:
        audit_record(
            tenant=tenant,
            actor=user,
            action=SsoAudit.USER_CREATED,
            target=user,
            changes={"email": [None, user.email]},
            reason=reason,
        )
    if membership is None:
        membership = Membership.objects.for_tenant(tenant).create(user=user, tenant=tenant, role=role)
        audit_record(
            tenant=tenant,
            actor=user,
            action=SsoAudit.ACCESS_GRANTED,
            target=membership,
            changes={"role": [None, role]},
            reason=reason,
        )
    elif not membership.is_active or membership.role != role:
        before = [membership.role if membership.is_active else None, role]
        action = SsoAudit.ROLE_CHANGED if membership.is_active else SsoAudit.ACCESS_GRANTED
        membership.role, membership.is_active = role, True
        membership.save(update_fields=["role", "is_active"])
        directory.unlink(membership=membership)
        audit_record(
            tenant=tenant,
            actor=user,
            action=action,
            target=membership,
            changes={"role": before},
            reason=reason,
        )
    if role == Role.PARTNER:
        directory.link(membership=membership, partner_id=provider.partner_id)
    return membership


def _remove_access(provider, user) -> None:
    """Deactivate the user's membership of the provider's tenant (when active), recorded."""
    tenant = provider.tenant
    membership = Membership.objects.for_tenant(tenant).filter(user=user, is_active=True).first()
    if membership is None:
        return
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    partner_directory().unlink(membership=membership)
    audit_record(
        tenant=tenant,
        actor=None,
        action=SsoAudit.ACCESS_REMOVED,
        target=membership,
        changes={"is_active": [True, False], "role": [membership.role, None]},
        reason=_("%(provider)s maps none of the person's groups to a role.") % {"provider": provider.name},
    )
