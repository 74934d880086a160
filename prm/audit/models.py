"""One table for every sensitive change: who did what to which object, when and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned

from .actions import label


class AuditEntry(TenantOwned):
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    #: dotted verb, e.g. "membership.added", "partner.stage_moved", "payout_run.approved"
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["tenant", "target_type", "target_id"]),
            models.Index(fields=["tenant", "-created_at", "-id"], name="audit_list_keyset"),
        ]

    @property
    def action_label(self) -> str:
        return label(self.action)

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
