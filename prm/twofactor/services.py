"""Use cases that write second factors and the tenant's policy. Each is atomic and audited.

A user's second factor belongs to the user, not to one tenant, so its audit entries are written in
every tenant the user belongs to; the policy's change in its own tenant.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prm.audit.events import audit_record
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from prm.tenancy.selectors import memberships_of

from .audit_actions import TwoFactorAudit
from .devices import (
    AUTHENTICATOR,
    RECOVERY,
    confirmed_authenticator,
    has_two_factor,
    pending_authenticator,
    recovery_codes_left,
    recovery_device,
)
from .policy import KEY, binding_memberships

RECOVERY_CODE_COUNT = 10


def normalized(code: str) -> str:
    """A code as typed, without spaces or dashes, lower case (recovery codes are shown grouped)."""
    return "".join((code or "").split()).replace("-", "").lower()


def _audit_everywhere(user, action: str, changes: dict) -> None:
    for membership in memberships_of(user):
        with tenant_context(membership.tenant):
            audit_record(tenant=membership.tenant, actor=user, action=action, target=user, changes=changes)


def _throttled(device) -> str | None:
    """The refusal to show while ``device`` is throttled after wrong codes, else None."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    seconds = (until - timezone.now()).total_seconds() if until else 60
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many wrong codes, try again in %(n)d minute.",
        "Too many wrong codes, try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def _wrong() -> ValidationError:
    return ValidationError({"code": [_("That code is not right.")]})


def _verify(device, code: str) -> None:
    """Check ``code`` against ``device``; a wrong one is counted (and committed) before refusing."""
    if message := _throttled(device):
        raise ValidationError({"code": [message]})
    if not device.verify_token(code):  # counts the failure in its own save
        raise _wrong()


def code_check(*, user, code: str, recovery_allowed: bool = True):
    """The device that accepts ``code``: the authenticator's current code or, where allowed, an
    unused recovery code (which is then spent). Refused with ``{"code": [...]}`` when wrong or while
    too many wrong codes were given (django-otp's back-off, each factor its own)."""
    code = normalized(code)
    if confirmed_authenticator(user) is None:
        raise ValidationError({"code": [_("Two-factor sign-in is not set up.")]})
    if code.isdigit():
        device = confirmed_authenticator(user)
    elif recovery_allowed and (device := recovery_device(user)) is not None:
        pass
    else:
        raise _wrong()
    _verify(device, code)
    if isinstance(device, StaticDevice):
        left = recovery_codes_left(user)
        with transaction.atomic():
            _audit_everywhere(
                user, TwoFactorAudit.RECOVERY_CODE_USED, {"recovery_codes_left": [left + 1, left]}
            )
    return device


def enrolment_begin(*, user) -> TOTPDevice:
    """The authenticator to scan (the one being set up, or a new secret); refused once set up."""
    if has_two_factor(user):
        raise ValidationError(_("Two-factor sign-in is set up already."))
    return pending_authenticator(user) or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR, confirmed=False
    )


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset(commit=False)
    device.confirmed = True
    device.save()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def enrolment_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code it shows; answers it and the ten recovery
    codes (shown to the user once, never again). A wrong code confirms nothing."""
    device = pending_authenticator(user)
    if device is None:
        raise ValidationError({"code": [_("Start setting two-factor sign-in up again.")]})
    _verify(device, normalized(code))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
        _audit_everywhere(user, TwoFactorAudit.ENROLLED, {"two_factor": [False, True]})
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not has_two_factor(user):
        raise ValidationError(_("Two-factor sign-in is not set up."))
    codes = _new_recovery_codes(user)
    _audit_everywhere(
        user, TwoFactorAudit.RECOVERY_CODES_REGENERATED, {"recovery_codes_left": [None, len(codes)]}
    )
    return codes


def two_factor_disable(*, user, code: str) -> None:
    """Turn two-factor sign-in off with a current code of the authenticator; refused while a tenant
    the user works in as staff requires it."""
    binding = binding_memberships(user)
    if binding:
        names = ", ".join(m.tenant.name for m in binding)
        raise ValidationError(
            _("%(tenants)s requires two-factor sign-in of its staff: it cannot be turned off.")
            % {"tenants": names}
        )
    code_check(user=user, code=code, recovery_allowed=False)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit_everywhere(user, TwoFactorAudit.DISABLED, {"two_factor": [True, False]})


@transaction.atomic
def policy_set(*, tenant, actor, required_for_staff: bool) -> bool:
    """Require (or stop requiring) two-factor sign-in of the tenant's staff; True when it changed."""
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    settings = dict(locked.programme_settings or {})
    section = dict(settings.get(KEY) or {})
    before = bool(section.get("required_for_staff", False))
    if before == required_for_staff:
        return False
    settings[KEY] = {**section, "required_for_staff": required_for_staff}
    locked.programme_settings = settings
    locked.save(update_fields=["programme_settings"])
    tenant.programme_settings = settings
    audit_record(
        tenant=tenant,
        actor=actor,
        action=TwoFactorAudit.POLICY_CHANGED,
        target=tenant,
        changes={"required_for_staff": [before, required_for_staff]},
    )
    return True
