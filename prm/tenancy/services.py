"""Use cases that write tenants and memberships. Each is atomic and audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from prm.audit.events import audit_record
from prm.tenancy.audit_actions import TenancyAudit

from .access import partner_directory
from .choices import Role
from .context import tenant_context
from .models import Membership, Tenant

User = get_user_model()


@transaction.atomic
def tenant_create(
    *,
    slug: str,
    name: str,
    currency: str = "EUR",
    default_language: str = "en",
    admin_username: str,
    admin_email: str,
    admin_password: str,
) -> Tenant:
    """Provision a tenant with its first admin; nothing is created if anything is wrong."""
    errors = {}
    if Tenant.objects.filter(slug=slug).exists():
        errors["slug"] = _("A tenant with the slug “%(slug)s” exists already.") % {"slug": slug}
    if User.objects.filter(username=admin_username).exists():
        errors["admin_username"] = _("The username “%(u)s” is taken.") % {"u": admin_username}
    if errors:
        raise ValidationError(errors)
    tenant = Tenant(slug=slug, name=name, currency=currency.upper(), default_language=default_language)
    tenant.full_clean()
    tenant.save()
    admin = User(username=admin_username, email=admin_email)
    _validate_password(admin_password, admin, field="admin_password")
    admin.set_password(admin_password)
    admin.save()
    with tenant_context(tenant):  # the new tenant's rows are written as that tenant
        membership = Membership.objects.create(user=admin, tenant=tenant, role=Role.ADMIN)
        for setup in settings.PRM_TENANT_SETUP:  # the domain apps' defaults (e.g. KPIs)
            import_string(setup)(tenant)
        audit_record(
            tenant=tenant,
            actor=admin,
            action=TenancyAudit.MEMBER_ADDED,
            target=membership,
            changes={"role": [None, Role.ADMIN]},
            reason=_("Tenant provisioned."),
        )
    return tenant


@transaction.atomic
def member_add(
    *,
    tenant: Tenant,
    actor,
    user,
    role: str,
    partner_id: int | None = None,
    partner_admin: bool = False,
    reason: str = "",
) -> Membership:
    """Give ``user`` a role in the tenant (and, for a partner user, its partner).

    Only for a person who accepted an invitation (``invitations``) and for provisioning (the
    demo): staff never add an account directly, they invite an e-mail address.
    """
    check_partner(tenant, role, partner_id)
    if Membership.objects.for_tenant(tenant).filter(user=user).exists():
        raise ValidationError({"detail": _("This person is a member already.")})
    membership = Membership.objects.for_tenant(tenant).create(user=user, tenant=tenant, role=role)
    if role == Role.PARTNER:
        partner_directory().link(membership=membership, partner_id=partner_id, is_partner_admin=partner_admin)
    audit_record(
        tenant=tenant,
        actor=actor,
        action=TenancyAudit.MEMBER_ADDED,
        target=membership,
        changes={"role": [None, role], "partner": [None, partner_id]},
        reason=reason,
    )
    return membership


@transaction.atomic
def member_change_role(
    *, membership: Membership, actor, role: str, partner_id: int | None = None
) -> Membership:
    """Change a member's role; the tenant always keeps at least one admin."""
    tenant = membership.tenant
    check_partner(tenant, role, partner_id)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_one_admin(membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    directory = partner_directory()
    directory.unlink(membership=membership)
    if role == Role.PARTNER:
        directory.link(membership=membership, partner_id=partner_id)
    audit_record(
        tenant=tenant,
        actor=actor,
        action=TenancyAudit.ROLE_CHANGED,
        target=membership,
        changes={"role": [before, role]},
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor) -> None:
    """Take a person out of the tenant (their account stays for other tenants)."""
    if membership.role == Role.ADMIN:
        _keep_one_admin(membership)
    if membership.user_id == getattr(actor, "pk", None):
        raise ValidationError({"detail": _("You cannot remove yourself.")})
    audit_record(
        tenant=membership.tenant,
        actor=actor,
        action=TenancyAudit.MEMBER_REMOVED,
        target=membership,
        changes={"role": [membership.role, None]},
    )
    partner_directory().unlink(membership=membership)
    membership.delete()


def _validate_password(password: str, user, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _keep_one_admin(membership: Membership) -> None:
    admins = Membership.objects.filter(tenant=membership.tenant, role=Role.ADMIN, is_active=True).exclude(
        pk=membership.pk
    )
    if not admins.exists():
        raise ValidationError({"role": _("The tenant must keep at least one admin.")})


def check_partner(tenant: Tenant, role: str, partner_id: int | None) -> None:
    """Refuse a role the tenant does not know, and a partner user without a partner of the tenant."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(r)s”.") % {"r": role}})
    if role == Role.PARTNER:
        if partner_id is None:
            raise ValidationError({"partner": _("A partner user needs a partner.")})
        if not partner_directory().partners(tenant).filter(pk=partner_id).exists():
            raise ValidationError({"partner": _("No such partner in this tenant.")})
    elif partner_id is not None:
        raise ValidationError({"partner": _("Only partner users belong to a partner.")})
