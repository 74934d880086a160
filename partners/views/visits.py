"""Logging a visit beside the playbook, recording an assessment, and the objections report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from partners.choices import AssessmentKind, ObjectionType, VisitKind
from partners.forms.visit_script import ScriptedVisitForm
from partners.forms.visits import AssessmentForm
from partners.lifecycle import assessments, visits
from partners.models import VisitPlan
from partners.selectors import objection_report
from partners.views.common import PartnerObjectMixin
from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin, refused
from prm.tenancy.capabilities import Capability


class VisitCreateView(PartnerObjectMixin, TenantPageMixin, FormView):
    """Record a visit by the playbook's script (``?plan=``: the prepared visit it carries out;
    ``?kind=leadership``: a key partner's senior-leadership meeting)."""

    template_name = "partners/visit_form.html"
    form_class = ScriptedVisitForm
    capability = Capability.WORK_PIPELINE

    def get_plan(self):
        plan_id = self.request.GET.get("plan", "")
        if not plan_id.isdigit():
            return None
        return (
            VisitPlan.objects.for_tenant(self.tenant)
            .filter(pk=int(plan_id), partner=self.get_partner(), visit__isnull=True)
            .first()
        )

    def get_initial(self):
        initial = super().get_initial()
        plan = self.get_plan()
        if plan is not None:
            initial["date"] = plan.date
        if self.request.GET.get("kind") in VisitKind.values:
            initial["kind"] = self.request.GET["kind"]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        playbook = visits.playbook_for(self.tenant)
        context.update(
            partner=self.get_partner(),
            plan=self.get_plan(),
            playbook=[(label, playbook[value]) for value, label in ObjectionType.choices],
        )
        return context

    def form_valid(self, form):
        partner = self.get_partner()
        data = {
            k: form.cleaned_data[k]
            for k in ("date", "kind", "summary", "goal_met", "next_step", "make_target")
        }
        try:
            visits.visit_log(
                partner=partner,
                actor=self.request.user,
                objections=form.objections(),
                script=form.script(),
                concerns=form.concerns(),
                plan=self.get_plan(),
                **form.outcome(),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit logged."))
        return redirect("partners:detail", tenant=self.tenant.slug, pk=partner.pk)


class AssessmentCreateView(PartnerObjectMixin, TenantPageMixin, FormView):
    template_name = "partners/assessment_form.html"
    capability = Capability.WORK_PIPELINE

    def get_kind(self):
        kind = self.kwargs["kind"]
        if kind not in AssessmentKind.values:
            raise Http404
        return kind

    def get_form(self, form_class=None):
        return AssessmentForm(**self.get_form_kwargs(), kind=self.get_kind())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(partner=self.get_partner(), kind_label=AssessmentKind(self.get_kind()).label)
        return context

    def form_valid(self, form):
        partner = self.get_partner()
        try:
            assessments.assessment_record(
                partner=partner,
                actor=self.request.user,
                kind=self.get_kind(),
                ratings=form.ratings(),
                date=form.cleaned_data["date"],
                needs=form.cleaned_data.get("needs", []),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Assessment recorded."))
        return redirect("partners:detail", tenant=self.tenant.slug, pk=partner.pk)


class ObjectionsView(TenantPageMixin, TemplateView):
    """Objections by type and region, and the playbook of responses (managers edit it)."""

    template_name = "partners/objections.html"
    post_capability = Capability.EDIT_PLAYBOOK

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = objection_report(tenant=self.tenant)
        regions = sorted({r["visit__partner__region"] or "—" for r in rows})
        table = {t: {region: 0 for region in regions} for t in ObjectionType.values}
        for r in rows:
            table[r["type"]][r["visit__partner__region"] or "—"] += r["count"]
        playbook = visits.playbook_for(self.tenant)
        context.update(
            regions=regions,
            table=[
                {
                    "type": value,
                    "label": label,
                    "counts": [table[value][g] for g in regions],
                    "total": sum(table[value].values()),
                    "response": playbook[value],
                }
                for value, label in ObjectionType.choices
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            visits.playbook_set(
                tenant=self.tenant,
                actor=request.user,
                type=request.POST.get("type", ""),
                response=request.POST.get("response", "").strip(),
            )
        except ValidationError as exc:
            return refused(request, exc, request.path)
        messages.success(request, _("Playbook saved."))
        return redirect("partners:objections", tenant=self.tenant.slug)
