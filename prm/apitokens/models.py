"""Named API tokens of a user: a hash of the secret, a scope, an end.

Tokens are user-level, not tenant-owned: a user may belong to several tenants and one token
serves them all (the tenant is in the URL and the membership decides, as for a session). So the
table has no ``tenant_id`` and no row-level security policy, like ``auth_user``; the web role
reads and writes it through the grants ``prm.tenancy.rls`` gives on every table. It must be read
before anyone is known (the secret is all a request brings), so there is no user scope to fence
it in either. Every read in this app names its user (``selectors.py``), except the lookup by hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class State(models.TextChoices):
    """What a token is now (computed, not stored): its end or revocation decides."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class RevokedBecause(models.TextChoices):
    OWNER = "owner", _("Revoked by its owner")
    PASSWORD_CHANGED = "password_changed", _("The password changed")
    MEMBERSHIP_ENDED = "membership_ended", _("A membership ended")
    EXPIRED = "expired", _("It expired")


class ApiToken(models.Model):
    """One named token. Only ``key_hash`` (SHA-256 of the secret) is kept; ``prefix`` is the
    secret's first characters (``prm_1a2b3c4d``), enough for support to tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(_("secret's hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ_WRITE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("why revoked"), max_length=20, choices=RevokedBecause.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_live")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def writes(self) -> bool:
        return self.scope == Scope.READ_WRITE

    def state_at(self, moment) -> str:
        if self.revoked_at is not None:
            return State.EXPIRED if self.revoked_reason == RevokedBecause.EXPIRED else State.REVOKED
        return State.EXPIRED if self.expires_at <= moment else State.ACTIVE

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def get_state_display(self) -> str:
        return State(self.state).label

    @property
    def is_active(self) -> bool:
        return self.state == State.ACTIVE
