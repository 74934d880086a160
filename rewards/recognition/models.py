"""Awards: a category (partner of the year, best newcomer…), a period, a partner and perhaps one of
its people, a citation; granted by a manager, revoked with a reason."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, PartnerUser
from prm.tenancy.scoping import TenantOwned


class AwardCategory(TenantOwned):
    """One of the tenant's kinds of award; the list is the tenant's to edit (``defaults`` seeds three)."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what it recognises"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name", "id"]
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="award_category_name_unique")]

    def __str__(self):
        return self.name


class Award(TenantOwned):
    """A category's award for a period (``2026``, ``2026-Q3`` or ``2026-07``) to a partner and, when
    ``person`` is set, to one of its people. A revoked award stays, with who revoked it and why."""

    category = models.ForeignKey(
        AwardCategory, on_delete=models.PROTECT, related_name="awards", verbose_name=_("category")
    )
    period = models.CharField(_("period"), max_length=10)
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="awards", verbose_name=_("partner")
    )
    person = models.ForeignKey(
        PartnerUser,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("person recognised"),
    )
    citation = models.TextField(_("citation"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("why revoked"), blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            # a category's award for a period goes to one partner (or one of its people) once
            models.UniqueConstraint(
                fields=["tenant", "category", "period", "partner"],
                condition=models.Q(revoked_at__isnull=True),
                name="award_once_per_partner",
            )
        ]
        indexes = [models.Index(fields=["tenant", "partner", "revoked_at"])]

    def __str__(self):
        return f"{self.category} {self.period}: {self.partner}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
