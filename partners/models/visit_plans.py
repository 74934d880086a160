"""A visit prepared before it happens: its goal, its area on the day's round, and the checklist."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models.partner import Partner
from partners.models.visits import Visit
from prm.tenancy.scoping import TenantOwned


class VisitPlan(TenantOwned):
    """A prepared visit: ``checklist`` is the programme's list as it stood when the plan was made,
    ``[{"item": str, "done": bool}]``; recording the visit links it (``visit``)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="visit_plans")
    date = models.DateField(_("date"))
    area = models.CharField(
        _("area"), max_length=100, blank=True, help_text=_("Where on the day's round, e.g. an office block.")
    )
    goal = models.TextField(_("goal of the visit"))
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visit = models.OneToOneField(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan", verbose_name=_("visit")
    )
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "area", "id"]
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        indexes = [models.Index(fields=["tenant", "date", "area"], name="visitplan_day_area")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} · {self.partner}"

    @property
    def prepared(self) -> bool:
        return bool(self.checklist) and all(entry.get("done") for entry in self.checklist)
