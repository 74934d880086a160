from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class NotificationPreference(TenantOwned):
    """A category a user turned off (or back on) in one tenant; no row means on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=40)
    enabled = models.BooleanField(_("send"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "category"], name="preference_unique")
        ]


class UnsentEmail(models.Model):
    """An e-mail that could not be handed to the job queue (Redis unreachable), kept until the beat
    task ``notifications.send_unsent`` hands it over (``mail.py``). Not a tenant's row: a password
    reset belongs to no tenant. Deleted once queued; kept at most ``PRM_EMAIL_UNSENT_KEEP_HOURS``."""

    message = models.JSONField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("e-mail not yet queued")
        verbose_name_plural = _("e-mails not yet queued")

    def __str__(self):
        return str(self.message.get("subject", ""))


class SentEmail(TenantOwned):
    """A copy of an e-mail the programme sent for this tenant, kept by ``store.StoredEmailBackend``
    (the demo's delivery backend, or beside SMTP with ``PRM_EMAIL_STORE``) and shown to the tenant's
    admins on the *Sent mail* page. ``kind`` is the notification category (``invitations``,
    ``applications`` ...) when the sender named one, else empty. Messages of no tenant (a password
    reset) are not kept."""

    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    to = models.JSONField(_("to"), default=list)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        indexes = [models.Index(fields=["tenant", "-created_at", "-id"], name="sentemail_list_keyset")]

    def __str__(self):
        return self.subject

    @property
    def recipients(self) -> str:
        return ", ".join(self.to)
