"""The partner list, its CSV export, creating and editing a partner, and the partner page."""

from itertools import chain

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from partners.choices import AssessmentKind, Health, ReferralLevel, Stage
from partners.exports import partners_csv
from partners.filters import PartnerFilter
from partners.forms.partners import ContactForm, PartnerForm, PartnersImportForm, TransitionForm
from partners.forms.tiers import TierOverrideForm
from partners.health.signals import describe
from partners.lifecycle import moves as lifecycle
from partners.lifecycle.criteria import CRITERIA
from partners.lifecycle.gates import is_backward, next_stage, unmet_gates
from partners.lifecycle.prospect_import import partners_import
from partners.live import shown_figures
from partners.models import (
    Assessment,
    DealRegistration,
    HealthChange,
    RelationshipChange,
    Sale,
    StageChange,
    TierChange,
    Visit,
)
from partners.panels import partner_sections as sections
from partners.programme.settings import willingness_input_labels
from partners.selectors import deal_conflicts, listed_partner_count, partner_list
from partners.tiering.moves import tier_override
from partners.views.common import PartnerObjectMixin
from partners.views.timeline import timeline_key
from prm.imports import ImportRejected
from prm.ops import metrics
from prm.portal.charts import score_bar
from prm.portal.forms import apply_service_errors
from prm.portal.responses import CSV, attachment
from prm.portal.views import PageAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

LIST_ORDERINGS = {"name", "stage", "stage_due_at", "region", "created_at"}


class PartnerListView(TenantPageMixin, ListView):
    template_name = "partners/list.html"
    context_object_name = "partners"
    paginate_by = 50
    #: the page says how many partners match: an exact count, which the database keeps for the
    #: unfiltered list (``get_paginator``; counting 100 000 partners was 48 ms of the page)
    paginator_class = Paginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        paginator = super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)
        known = listed_partner_count(tenant=self.tenant, access=self.access, params=self.request.GET)
        if known is not None:
            paginator.count = known  # (a cached property of Django's paginator)
        return paginator

    def get_queryset(self):
        self.filterset = PartnerFilter(
            self.request.GET or None,
            queryset=self.scoped(partner_list(tenant=self.tenant)),
            request=self.request,
        )
        ordering = self.request.GET.get("ordering", "")
        return self.filterset.qs.order_by(ordering if ordering.lstrip("-") in LIST_ORDERINGS else "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["export_query"] = self.request.GET.urlencode()
        context["health_choices"] = Health.choices
        context["health_selected"] = self.request.GET.getlist("health")
        return context


class PartnerExportView(TenantPageMixin, View):
    """The filtered partner list as CSV."""

    def get(self, request, *args, **kwargs):
        queryset = PartnerFilter(
            request.GET, queryset=self.scoped(partner_list(tenant=self.tenant)), request=request
        ).qs
        return attachment(partners_csv(queryset), CSV, f"partners-{self.tenant.slug}.csv")


class PartnerCreateView(TenantPageMixin, FormView):
    template_name = "partners/form.html"
    form_class = PartnerForm
    capability = Capability.WORK_PIPELINE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def get_initial(self):
        return {"owner": self.request.user.pk}

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            partner = lifecycle.partner_create(tenant=self.tenant, actor=self.request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was added as a prospect.") % {"name": partner.name})
        return redirect("partners:detail", tenant=self.tenant.slug, pk=partner.pk)


class PartnerImportView(TenantPageMixin, TemplateView):
    """Prospects from a trade-show list or a reseller roster: all or nothing, duplicates reported."""

    template_name = "partners/import.html"
    capability = Capability.IMPORT_PARTNERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("import_form", PartnersImportForm())
        return context

    def post(self, request, *args, **kwargs):

        form = PartnersImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(import_form=form), status=400)
        try:
            result = partners_import(tenant=self.tenant, actor=request.user, file=form.cleaned_data["file"])
        except ImportRejected as rejected:
            metrics.import_refused(len(rejected.errors))
            return self.render_to_response(
                self.get_context_data(import_form=form, import_errors=rejected.errors), status=400
            )
        messages.success(
            request,
            _("%(c)d prospects created; %(u)d were here already.")
            % {"c": result.created, "u": result.unchanged},
        )
        return self.render_to_response(
            self.get_context_data(duplicates=result.duplicates, imported=result.created)
        )


class PartnerEditView(PartnerObjectMixin, TenantPageMixin, FormView):
    template_name = "partners/form.html"
    form_class = PartnerForm
    capability = Capability.WORK_PIPELINE

    def get_form_kwargs(self):
        # the form gets its own copy: validating a ModelForm writes into its instance
        copy = partner_list(tenant=self.tenant).get(pk=self.get_partner().pk)
        return {**super().get_form_kwargs(), "tenant": self.tenant, "instance": copy}

    def form_valid(self, form):
        partner = self.get_partner()
        try:
            lifecycle.partner_update(partner=partner, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("partners:detail", tenant=self.tenant.slug, pk=partner.pk)


class PartnerDetailView(PartnerObjectMixin, TenantPageMixin, TemplateView):
    """Everything about one partner: stage, tier and why, timeline, deals, sales."""

    template_name = "partners/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.get_partner()
        scope = {"tenant": self.tenant, "partner": partner}
        visits = list(
            Visit.objects.filter(**scope).select_related("logged_by").prefetch_related("objections")
        )
        moves = list(StageChange.objects.filter(**scope).select_related("changed_by"))
        assessments = list(Assessment.objects.filter(**scope).select_related("assessed_by"))
        tier_changes = list(TierChange.objects.filter(**scope).select_related("changed_by"))
        relationship_changes = list(RelationshipChange.objects.filter(**scope).select_related("changed_by"))
        deals = list(DealRegistration.objects.filter(**scope)[:20])
        conflicts = deal_conflicts(tenant=self.tenant, deals=deals)
        for deal in deals:
            deal.conflicts = conflicts.get(deal.pk, [])
        timeline = sorted(
            chain(
                ({"kind": "visit", "date": v.date, "item": v} for v in visits),
                (
                    {"kind": "move", "date": localdate(m.changed_at), "at": m.changed_at, "item": m}
                    for m in moves
                ),
                ({"kind": "assessment", "date": a.date, "item": a} for a in assessments),
                (
                    {"kind": "tier", "date": localdate(t.changed_at), "at": t.changed_at, "item": t}
                    for t in tier_changes
                ),
                (
                    {"kind": "relationship", "date": localdate(r.changed_at), "at": r.changed_at, "item": r}
                    for r in relationship_changes
                ),
            ),
            key=timeline_key,
            reverse=True,
        )
        context.update(
            partner=partner,
            contacts=list(partner.contacts.all()),
            timeline=timeline,
            deals=deals,
            sales=list(Sale.objects.filter(**scope)[:20]),
            transition_form=TransitionForm(initial={"to": next_stage(partner.stage) or partner.stage}),
            next_stage_label=Stage(next_stage(partner.stage)).label if next_stage(partner.stage) else "",
            gates=self._gates(partner),
            backward_stages=" ".join(s for s in Stage.values if is_backward(partner.stage, s)),
            override_form=TierOverrideForm(initial={"tier": partner.tier_override}),
            contact_form=ContactForm(),
            axes=_axes(partner),
            willingness_inputs=_willingness_inputs(partner),
            live_figures=shown_figures(partner),
            tier_inputs={
                k: v
                for k, v in (partner.tier_axes or {}).get("inputs", {}).items()
                if k not in ("willingness", "revenue_converted")
            },
            conversions=(partner.tier_axes or {}).get("inputs", {}).get("revenue_converted", []),
            sections=partner_sections(self.tenant, partner),
            health_reasons=describe_health(partner.health_reasons),
            health_history=[
                {"change": c, "reasons": describe_health(c.reasons)}
                for c in HealthChange.objects.filter(**scope)[:10]
            ],
            assessment_kinds=AssessmentKind.choices,
            criteria=CRITERIA,
            referral_levels=ReferralLevel.choices,
            awaiting_approval=partner.lead_approved_at is None
            and partner.stage in (Stage.FIRST_TALKS, Stage.SELECTION),
        )
        return context

    def _gates(self, partner) -> list[dict]:
        """What the partner still needs for the next stage, each with a link to where it is done."""
        stage = next_stage(partner.stage)
        if stage is None:
            return []
        return [
            {"message": m, "url": self._fix_url(getattr(m, "fix", ""), partner)}
            for m in unmet_gates(partner, stage)
        ]

    def _fix_url(self, fix: str, partner) -> str:
        kwargs = {"tenant": self.tenant.slug, "pk": partner.pk}
        detail = reverse("partners:detail", kwargs=kwargs)
        return {
            "contact": f"{detail}#contacts",
            "visit": reverse("partners:visit-create", kwargs=kwargs),
            "selection_assessment": reverse("partners:assessment-selection", kwargs=kwargs),
            "strategic_assessment": reverse("partners:assessment-strategic", kwargs=kwargs),
            "lead_approval": f"{detail}#approval",
            "leadership_meeting": reverse("partners:visit-create", kwargs=kwargs) + "?kind=leadership",
            "agreement": reverse("onboarding:partner", kwargs=kwargs),
            "training": reverse("onboarding:partner", kwargs=kwargs),
        }.get(fix, "")


class PartnerAction(PartnerObjectMixin, PageAction):
    """A POST about one partner; back to its page (or ``next``)."""

    def success_url(self):
        return reverse("partners:detail", kwargs={"tenant": self.tenant.slug, "pk": self.get_partner().pk})


class PartnerTransitionView(PartnerAction):
    capability = Capability.MOVE_PARTNER

    def perform(self, request):
        partner = self.get_partner()
        form = TransitionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a stage."))
        lifecycle.partner_transition(partner=partner, actor=request.user, **form.cleaned_data)
        return _("%(p)s moved to %(s)s.") % {"p": partner.name, "s": Stage(form.cleaned_data["to"]).label}


class PartnerApproveView(PartnerAction):
    capability = Capability.APPROVE_SIGNING

    def perform(self, request):
        lifecycle.partner_approve_for_signing(
            partner=self.get_partner(), actor=request.user, note=request.POST.get("note", "")
        )
        return _("Approved for signing.")


class PartnerTierOverrideView(PartnerAction):
    capability = Capability.OVERRIDE_TIER

    def perform(self, request):
        form = TierOverrideForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        tier_override(
            partner=self.get_partner(),
            actor=request.user,
            tier=form.cleaned_data.get("tier") or None,
            reason=form.cleaned_data.get("reason", ""),
        )
        return _("Tier saved.")


class PartnerContactAddView(PartnerAction):
    capability = Capability.WORK_PIPELINE

    def perform(self, request):
        form = ContactForm(request.POST)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() for e in errs]
            )
        lifecycle.contact_add(partner=self.get_partner(), **form.cleaned_data)
        return _("Contact added.")


class PartnerRelationshipView(PartnerAction):
    """POST: the referral relationship's depth now, with why."""

    capability = Capability.WORK_PIPELINE

    def perform(self, request):
        lifecycle.relationship_set(
            partner=self.get_partner(),
            actor=request.user,
            level=request.POST.get("level", ""),
            note=request.POST.get("note", ""),
        )
        return _("Saved.")


class PartnerRequestApprovalView(PartnerAction):
    """POST: ask the regional leads to approve the candidate for signing."""

    capability = Capability.MOVE_PARTNER

    def success_url(self):
        return super().success_url() + "#approval"

    def perform(self, request):
        told = lifecycle.partner_request_approval(
            partner=self.get_partner(), actor=request.user, note=request.POST.get("note", "")
        )
        return _("Asked the regional lead for approval (%(n)d told).") % {"n": told}


def describe_health(reasons):

    return describe(reasons)


def partner_sections(tenant, partner):

    return sections(tenant, partner)


def _willingness_inputs(partner):
    """What measured willingness was made of, in words: [{label, score, weight}]."""

    labels = willingness_input_labels()
    used = (partner.tier_axes or {}).get("inputs", {}).get("willingness", [])
    return [{**item, "label": labels.get(item["input"], item["input"])} for item in used]


def _axes(partner):

    axes = (partner.tier_axes or {}).get("axes", {})
    return [
        {
            "name": name,
            "score": values.get("score"),
            "threshold": values.get("threshold"),
            "strong": values.get("strong"),
            "measured": values.get("measured"),
            "assessed": values.get("assessed"),
            "bar": score_bar(values.get("score"), values.get("threshold", 50), label=name),
        }
        for name, values in axes.items()
    ]
