"""Joint business plans: the list, one plan with its progress, and what each side does on it."""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from partners.picker import PartnerPickerField
from prm.portal.charts import score_bar
from prm.portal.views import PageAction, PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from .. import selectors
from ..choices import Side
from ..models import BusinessPlan, PlanActivity
from ..services import plans


class PlanForm(forms.Form):
    partner = forms.CharField()  # a PartnerPickerField (set per tenant)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = PartnerPickerField(tenant=tenant)


class PlanTermsForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("What the year is about"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    mdf_planned = forms.DecimalField(
        label=gettext_lazy("MDF planned"), max_digits=14, decimal_places=2, min_value=0
    )


class GoalForm(forms.Form):
    kpi = forms.ModelChoiceField(label=gettext_lazy("KPI"), queryset=None)
    target = forms.DecimalField(
        label=gettext_lazy("Target for the year"), max_digits=14, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = selectors.kpi_list(tenant=tenant).filter(active=True)


class ActivityForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Activity"), max_length=200)
    side = forms.ChoiceField(label=gettext_lazy("Who does it"), choices=Side.choices)
    due = forms.DateField(
        label=gettext_lazy("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PlanListView(TenantPageMixin, ListView):
    """Every plan (a partner: its own); managers start one for a partner and a year."""

    template_name = "scorecards/plans.html"
    context_object_name = "plans"
    paginate_by = 50
    capability = Capability.READ
    partner_scope = "partner"

    def get_queryset(self):
        queryset = self.scoped(selectors.plan_list(tenant=self.tenant))
        year, partner = self.request.GET.get("year", ""), self.request.GET.get("partner", "")
        if year.isdigit():
            queryset = queryset.filter(year=year)
        return queryset.filter(partner_id=partner) if partner.isdigit() else queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "form", PlanForm(tenant=self.tenant, initial={"year": timezone.localdate().year + 1})
        )
        return context


class PlanCreateView(PageFormAction, PlanListView):
    capability = Capability.PLAN_BUSINESS

    def build_form(self, data, files):
        self.object_list = self.get_queryset()
        return PlanForm(data, tenant=self.tenant)

    def save(self, form):
        self.plan = plans.plan_create(tenant=self.tenant, actor=self.request.user, **form.cleaned_data)
        return _("Plan started: set its goals and activities, then propose it.")

    def success_url(self):
        return reverse("scorecards:plan", kwargs={"tenant": self.tenant.slug, "pk": self.plan.pk})


class PlanDetailView(TenantPageMixin, TemplateView):
    template_name = "scorecards/plan.html"
    capability = Capability.READ
    partner_scope = "partner"
    model = BusinessPlan

    def get_plan(self):
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(
                self.scoped(selectors.plan_list(tenant=self.tenant)), pk=self.kwargs["pk"]
            )
        return self._plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        progress = plans.plan_progress(plan)
        for row in progress["goals"]:
            row["bar"] = (
                score_bar(row["percent"], 100, label=row["goal"].kpi.name)
                if row["percent"] is not None
                else ""
            )
        context.setdefault(
            "terms_form", PlanTermsForm(initial={"summary": plan.summary, "mdf_planned": plan.mdf_planned})
        )
        context.setdefault("goal_form", GoalForm(tenant=self.tenant))
        context.setdefault("activity_form", ActivityForm())
        context.update(plan=plan, progress=progress, editable=plan.status != "agreed")
        return context

    def success_url(self):
        return reverse("scorecards:plan", kwargs={"tenant": self.tenant.slug, "pk": self.get_plan().pk})


def _goals_of(plan) -> list[dict]:
    return [{"kpi": g.kpi, "target": g.target, "note": g.note} for g in plan.goals.select_related("kpi")]


def _activities_of(plan) -> list[dict]:
    return [{"title": a.title, "side": a.side, "due": a.due} for a in plan.activities.all()]


class PlanTermsView(PageFormAction, PlanDetailView):
    capability = Capability.PLAN_BUSINESS
    form_name = "terms_form"

    def build_form(self, data, files):
        return PlanTermsForm(data)

    def save(self, form):
        plans.plan_update(plan=self.get_plan(), actor=self.request.user, **form.cleaned_data)
        return _("Saved.")


class PlanGoalAddView(PageFormAction, PlanDetailView):
    capability = Capability.PLAN_BUSINESS
    form_name = "goal_form"

    def build_form(self, data, files):
        return GoalForm(data, tenant=self.tenant)

    def save(self, form):
        plan = self.get_plan()
        goals = [g for g in _goals_of(plan) if g["kpi"] != form.cleaned_data["kpi"]] + [form.cleaned_data]
        plans.plan_update(plan=plan, actor=self.request.user, goals=goals)
        return _("Goal set.")


class PlanActivityAddView(PageFormAction, PlanDetailView):
    capability = Capability.PLAN_BUSINESS
    form_name = "activity_form"

    def build_form(self, data, files):
        return ActivityForm(data)

    def save(self, form):
        plan = self.get_plan()
        plans.plan_update(
            plan=plan, actor=self.request.user, activities=[*_activities_of(plan), form.cleaned_data]
        )
        return _("Activity added.")


class PlanAction(PageAction):
    model = BusinessPlan
    partner_scope = "partner"

    def get_plan(self):
        return get_object_or_404(self.scoped(selectors.plan_list(tenant=self.tenant)), pk=self.kwargs["pk"])

    def success_url(self):
        return reverse("scorecards:plan", kwargs={"tenant": self.tenant.slug, "pk": self.kwargs["pk"]})


class PlanGoalRemoveView(PlanAction):
    capability = Capability.PLAN_BUSINESS

    def perform(self, request):
        plan = self.get_plan()
        kpi = request.POST.get("kpi", "")
        plans.plan_update(
            plan=plan, actor=request.user, goals=[g for g in _goals_of(plan) if str(g["kpi"].pk) != kpi]
        )
        return _("Goal removed.")


class PlanProposeView(PlanAction):
    capability = Capability.PLAN_BUSINESS

    def perform(self, request):
        plans.plan_propose(plan=self.get_plan(), actor=request.user)
        return _("Proposed: the partner's users were asked to agree.")


class PlanAgreeView(PlanAction):
    capability = Capability.AGREE_PLAN

    def perform(self, request):
        plans.plan_agree(plan=self.get_plan(), actor=request.user)
        return _("Agreed. The plan's goals are your targets for the year.")


class PlanRequestChangesView(PlanAction):
    capability = Capability.AGREE_PLAN

    def perform(self, request):
        plans.plan_request_changes(
            plan=self.get_plan(), actor=request.user, note=request.POST.get("note", "")
        )
        return _("Sent back to your channel manager with your note.")


class PlanActivityDoneView(PageAction):
    """Tick (``done=1``) or untick an activity of an agreed plan (either side)."""

    capability = Capability.COMPLETE_PLAN_ACTIVITY
    model = PlanActivity
    partner_scope = "plan__partner"

    def get_activity(self):
        if not hasattr(self, "_activity"):
            self._activity = get_object_or_404(
                self.scoped(PlanActivity.objects.for_tenant(self.tenant).select_related("plan")),
                pk=self.kwargs["pk"],
            )
        return self._activity

    def perform(self, request):
        done, activity = request.POST.get("done") == "1", self.get_activity()
        plans.plan_activity_done(activity=activity, actor=request.user, done=done)
        message = _("Activity done: %(a)s.") if done else _("Activity open again: %(a)s.")
        return message % {"a": activity.title}

    def success_url(self):
        return reverse(
            "scorecards:plan", kwargs={"tenant": self.tenant.slug, "pk": self.get_activity().plan_id}
        )
