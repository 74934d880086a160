"""Inbound applications from the public page (receptive recruitment)."""

from django.db import models
from django.db.models import JSONField, Value
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantOwned


class Application(TenantOwned):
    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    lines_carried = models.TextField(_("lines carried"), max_length=2000, blank=True)
    message = models.TextField(_("why us"), max_length=4000, blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, related_name="+")
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    #: the answers (``region``, ``industry``) off the tenant's lists: the candidate's own text is kept
    #: above, the prospect has none yet, and a reviewer picks a listed value or adds this one to the
    #: list (``services.application_review``), which takes the name off here
    # db_default: the previous release inserts applications without this column during an upgrade
    unlisted = models.JSONField(
        _("answers to review"), default=list, db_default=Value([], JSONField()), blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.company
