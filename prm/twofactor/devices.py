"""Reads of a user's second factors: the authenticator app (a TOTP device) and the recovery codes
(a static device), both django-otp's. A user has at most one of each; only a confirmed TOTP device
counts as "set up"."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prm.tenancy.choices import STAFF_ROLES
from prm.tenancy.selectors import tenant_members

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"


def confirmed_authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, or None when two-factor sign-in is not set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_authenticator(user) -> TOTPDevice | None:
    """The authenticator being set up (shown as a QR code, not yet confirmed by a code), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    """How many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def staff_two_factor(tenant) -> list:
    """The tenant's staff members, by username, each with ``two_factor`` (set up or not)."""
    members = list(tenant_members(tenant=tenant).filter(role__in=STAFF_ROLES, is_active=True))
    enrolled = set(
        TOTPDevice.objects.filter(user__in=[m.user_id for m in members], confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    for member in members:
        member.two_factor = member.user_id in enrolled
    return members
