"""Agreements and the onboarding checklist of a signed partner."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.files import TenantPath
from prm.tenancy.scoping import TenantOwned


class AgreementTemplate(TenantOwned):
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    body = models.TextField(_("terms"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "-created_at"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name", "version"], name="agreement_version_unique")
        ]

    def __str__(self):
        return f"{self.name} {self.version}"


class Agreement(TenantOwned):
    """A partner's signed cooperation agreement: the ``signed`` gate needs one."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="+")
    version = models.CharField(_("version"), max_length=20)
    signed_on = models.DateField(_("signed on"))
    signatories = models.TextField(_("signatories"), help_text=_("One per line: name, role, company."))
    #: Stored privately under the tenant with a random name (prm/files.py); fetched
    #: through agreements/{id}/document/ only.
    document = models.FileField(_("signed document"), upload_to=TenantPath("agreements"), max_length=200)
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return f"{self.partner} · {self.template} ({self.signed_on})"


class ChecklistTemplateStep(TenantOwned):
    #: A stable name for steps the code ticks itself (e.g. "agreement"), whatever the title's language.
    key = models.SlugField(_("key"), max_length=40, blank=True)
    title = models.CharField(_("step"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("checklist step template")
        verbose_name_plural = _("checklist step templates")

    def __str__(self):
        return self.title


class ChecklistStep(TenantOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="checklist")
    key = models.SlugField(_("key"), max_length=40, blank=True)
    title = models.CharField(_("step"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")

    def __str__(self):
        return self.title
