"""Tenants and memberships: who belongs to which vendor's programme, in which role."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
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
