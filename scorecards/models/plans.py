"""Joint business plans: what a partner and the vendor agree to do together in a year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantOwned

from ..choices import PlanStatus, Side
from .kpis import Kpi


class BusinessPlan(TenantOwned):
    """One partner's plan for one year: goals (a KPI and the year's target), activities each side
    commits to, and the MDF planned. Agreed by both: the vendor proposes, the partner agrees (or asks
    for changes); an agreed plan sets the partner's quarterly targets and then only its activities move."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="business_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    summary = models.TextField(_("what the year is about"), blank=True)
    mdf_planned = models.DecimalField(_("MDF planned"), max_digits=14, decimal_places=2, default=0)
    change_request = models.TextField(_("changes the partner asked for"), blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed by the partner at"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "partner__name"]
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "year"], name="business_plan_unique"),
        ]

    def __str__(self):
        return f"{self.partner} {self.year}"


class PlanGoal(TenantOwned):
    """A KPI and what the partner aims for over the year (a count or amount: the year's total; a rate:
    the level to hold)."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="goals")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(_("target for the year"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["kpi__position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "kpi"], name="plan_goal_unique")]


class PlanActivity(TenantOwned):
    """Something one side commits to do (a training day, a joint campaign, a quarterly review)."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=200)
    side = models.CharField(_("who does it"), max_length=10, choices=Side.choices, default=Side.PARTNER)
    due = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "id"]
