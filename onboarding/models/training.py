"""Training courses, completions per partner person, and programme announcements."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantOwned


class Course(TenantOwned):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    required_for_certification = models.BooleanField(_("required for certification"), default=True)
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.name


class Completion(TenantOwned):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="completions")
    person = models.CharField(_("person"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_on = models.DateField(_("completed on"), default=timezone.localdate)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    #: When the partner's users were reminded that it expires (once per completion).
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")


class Announcement(TenantOwned):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.title
