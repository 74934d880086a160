"""Preparing visits: a plan per visit with its checklist, the day's round by area, how visits go."""

from datetime import date as Date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from partners.choices import ObjectionType
from partners.forms.visit_script import ChecklistForm, VisitPlanForm
from partners.models import Visit, VisitPlan
from partners.views.common import PartnerObjectMixin
from partners.views.reports import report_filters, team_members
from partners.visiting.plans import day_by_area, plan_create, plan_update
from partners.visiting.reports import visit_step_report
from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability


def plan_rows(tenant):
    return VisitPlan.objects.for_tenant(tenant).select_related("partner", "planned_by", "visit")


class VisitPlanCreateView(PartnerObjectMixin, TenantPageMixin, FormView):
    template_name = "partners/visit_plan_form.html"
    form_class = VisitPlanForm
    capability = Capability.WORK_PIPELINE

    def get_context_data(self, **kwargs):
        return super().get_context_data(partner=self.get_partner(), **kwargs)

    def form_valid(self, form):
        try:
            plan = plan_create(partner=self.get_partner(), actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit prepared: tick the checklist as you get ready."))
        return redirect("partners:visit-plan", tenant=self.tenant.slug, pk=plan.pk)


class VisitPlanView(TenantPageMixin, TemplateView):
    """A prepared visit: its goal, the checklist to tick, and the partner's sheet (what it is, who to
    meet, what earlier visits heard); from here the visit is recorded by the script."""

    template_name = "partners/visit_plan.html"
    model = VisitPlan
    post_capability = Capability.WORK_PIPELINE

    def get_plan(self):
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(plan_rows(self.tenant), pk=self.kwargs["pk"])
        return self._plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        partner = plan.partner
        earlier = list(
            Visit.objects.for_tenant(self.tenant)
            .filter(partner=partner)
            .prefetch_related("objections")
            .order_by("-date", "-id")[:5]
        )
        context.update(
            plan=plan,
            partner=partner,
            form=kwargs.get("form") or ChecklistForm(plan=plan),
            contacts=list(partner.contacts.all()),
            earlier=earlier,
            objection_labels=dict(ObjectionType.choices),
        )
        return context

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        form = ChecklistForm(request.POST, plan=plan)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        plan_update(plan=plan, actor=request.user, done=form.done())
        messages.success(request, _("Checklist saved."))
        return redirect("partners:visit-plan", tenant=self.tenant.slug, pk=plan.pk)


def _day(value) -> Date:
    try:
        return Date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


class VisitDayView(TenantPageMixin, TemplateView):
    """The visits prepared for a day (``?date=``, default today), grouped by area; ``?mine=1``: the
    caller's own."""

    template_name = "partners/visit_day.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = _day(self.request.GET.get("date"))
        plans = plan_rows(self.tenant).filter(date=day)
        mine = self.request.GET.get("mine") in ("1", "true")
        if mine:
            plans = plans.filter(planned_by=self.request.user)
        context.update(day=day, mine=mine, groups=day_by_area(list(plans)))
        return context


class VisitStepsView(TenantPageMixin, TemplateView):
    """How scripted visits go: per step, the visits that reached it, stopped at it, and its objections."""

    template_name = "partners/visit_steps.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = report_filters(self.tenant, self.request.GET)
        report = visit_step_report(tenant=self.tenant, **filters)
        context.update(
            report=report,
            filters=filters,
            members=team_members(self.tenant),
            objection_types=ObjectionType.choices,
            step_rows=[
                {**row, "objection_counts": [row["objections"][t] for t in ObjectionType.values]}
                for row in report["steps"]
            ],
        )
        return context
