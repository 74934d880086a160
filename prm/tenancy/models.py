"""Tenants and memberships: who belongs to which vendor's programme, in which role."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import STAFF_ROLES, Role
from .scoping import InItsTenantScope, TenantOwned, TenantQuerySet  # noqa: F401  (TenantOwned re-exported)

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code."))


def default_programme_settings() -> dict:
    """Programme settings a new tenant starts with; apps read their own keys."""
    return {}


class Tenant(models.Model):
    """A vendor running its partner programme here. Tenants never see each other."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[currency_validator])
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    programme_settings = models.JSONField(
        _("programme settings"), default=default_programme_settings, blank=True
    )
    brand_color = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1f5f8b",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f5f8b."))],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self):
        return self.name


class MembershipManager(models.Manager.from_queryset(TenantQuerySet)):
    def for_tenant(self, tenant):
        """The tenant's memberships, named explicitly (run in its scope when nothing else is)."""
        queryset = self.get_queryset().filter(tenant=tenant)
        queryset.query.explicit_tenant_id = tenant if isinstance(tenant, int) else tenant.pk
        return queryset


class Membership(InItsTenantScope):
    """A user's place in one tenant. A consultant may hold several.

    Behind row-level security like tenant-owned rows (``rls.EXTRA_TABLES``):
    read within the tenant's scope, or by its own user (``memberships_of``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("tenant")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MembershipManager()

    class Meta:
        ordering = ["tenant__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.tenant} ({self.get_role_display()})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(TenantOwned):
    """An offer to join the tenant in a role, sent by e-mail; the membership exists only once accepted.

    Inviting never looks an account up: the person accepts on ``/invitations/<token>/``, either
    choosing a username and password there or signing in as their own account (whose e-mail must
    be the invited one). The token's secret is kept only as a SHA-256 hash (``token_hash``); a
    resend replaces it, so the previous link stops working. A partner user's invitation names its
    partner by id (``partner_id``): the core does not know partners (``access.partner_directory``).
    """

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partner_id = models.BigIntegerField(_("partner"), null=True, blank=True)
    #: a partner user invited as its partner's admin (who may invite colleagues)
    partner_admin = models.BooleanField(_("partner admin"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["tenant", "email"], name="invitation_tenant_email")]

    def __str__(self):
        return f"{self.email} → {self.get_role_display()}"

    def status_at(self, now) -> str:
        """What became of it: accepted, declined, revoked, or pending until it expires."""
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.declined_at:
            return InvitationStatus.DECLINED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= now:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label
