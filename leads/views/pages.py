"""The leads pages: the queue (staff) or my leads (partner), one lead with its history, the rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from partners.choices import BenefitKind
from partners.tiering.benefits import benefit_values
from prm.portal.views import PageAction, PageFormAction, TenantPageMixin, import_page_response, refused
from prm.tenancy.capabilities import Capability

from ..choices import LeadStatus
from ..forms import DeclineForm, LeadFilterForm, LeadForm, LeadImportForm, LeadRuleForm
from ..models import Lead, LeadRule
from ..selectors import lead_list, rule_list
from ..services import distribution, intake


class LeadsView(TenantPageMixin, PageFormAction, ListView):
    """Staff: every lead with its status (filter), enter one, import a file. Partner: its leads."""

    template_name = "leads/list.html"
    context_object_name = "leads"
    paginate_by = 50
    capability = Capability.READ
    post_capability = Capability.DISTRIBUTE_LEADS
    partner_scope = "partner"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        self.filter_form = LeadFilterForm(self.request.GET or None)
        leads = self.scoped(lead_list(tenant=self.tenant))
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["status"]:
            leads = leads.filter(status=self.filter_form.cleaned_data["status"])
        return leads

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = {}
        if not self.access.is_partner:
            counts = dict(
                lead_list(tenant=self.tenant)
                .order_by()
                .values("status")
                .annotate(n=Count("id"))
                .values_list("status", "n")
            )
        context.setdefault("form", LeadForm())
        context.setdefault("import_form", LeadImportForm())
        context.update(
            filter_form=self.filter_form,
            counts=[(value, label, counts.get(value, 0)) for value, label in LeadStatus.choices],
            decline_form=DeclineForm(),
        )
        return context

    def build_form(self, data, files):
        self.object_list = self.get_queryset()
        return LeadForm(data)

    def save(self, form) -> str:
        lead = distribution.lead_create(tenant=self.tenant, actor=self.request.user, **form.cleaned_data)
        if lead.partner_id:
            return _("Lead entered and offered to %(p)s.") % {"p": lead.partner.name}
        return _("Lead entered; no partner fits the rules, so it waits in the queue.")


class LeadImportView(LeadsView):
    def post(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        return import_page_response(
            self,
            LeadImportForm(request.POST, request.FILES),
            lambda upload: intake.leads_import(tenant=self.tenant, file=upload, actor=request.user),
            _("Imported: %(c)d new leads, %(u)d already there."),
            success_url=reverse("leads:list", kwargs={"tenant": self.tenant.slug}),
        )


class LeadDetailView(TenantPageMixin, TemplateView):
    template_name = "leads/detail.html"
    capability = Capability.READ
    partner_scope = "partner"
    model = Lead

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lead = get_object_or_404(self.scoped(lead_list(tenant=self.tenant)), pk=kwargs["pk"])
        offers = lead.offers.select_related("partner")
        if self.access.is_partner:
            offers = offers.filter(partner_id=self.access.partner_id)
        context.update(lead=lead, offers=list(offers), decline_form=DeclineForm())
        return context


class LeadAction(PageAction):
    """An answer to a lead (or a manager's re-offer), back to the lead."""

    partner_scope = "partner"
    model = Lead

    def lead(self):
        return get_object_or_404(self.scoped(lead_list(tenant=self.tenant)), pk=self.kwargs["pk"])

    def success_url(self):
        return reverse("leads:detail", kwargs={"tenant": self.tenant.slug, "pk": self.kwargs["pk"]})


class LeadAcceptView(LeadAction):
    capability = Capability.ANSWER_LEAD

    def perform(self, request):
        distribution.lead_accept(lead=self.lead(), actor=request.user)
        return _("Lead accepted: it is yours to work; convert it into a deal registration when it is real.")


class LeadDeclineView(LeadAction):
    capability = Capability.ANSWER_LEAD

    def perform(self, request):
        distribution.lead_decline(lead=self.lead(), actor=request.user, reason=request.POST.get("reason", ""))
        return _("Lead declined; it goes to the next partner.")

    def success_url(self):
        return reverse("leads:list", kwargs={"tenant": self.tenant.slug})


class LeadConvertView(LeadAction):
    capability = Capability.ANSWER_LEAD

    def post(self, request, *args, **kwargs):

        try:
            deal = distribution.lead_convert(lead=self.lead(), actor=request.user)
        except ValidationError as exc:
            return refused(request, exc, self.success_url())
        messages.success(
            request, _("Deal registered; protected until %(d)s.") % {"d": deal.expires_at.date()}
        )
        return redirect("partners:deals", tenant=self.tenant.slug)


class LeadRouteView(LeadAction):
    capability = Capability.DISTRIBUTE_LEADS
    partner_scope = None

    def perform(self, request):
        lead = distribution.lead_route(lead=self.lead(), actor=request.user)
        return _("Offered to %(p)s.") % {"p": lead.partner.name}


class LeadRulesView(TenantPageMixin, PageFormAction, TemplateView):
    """The rules that offer leads, in order; managers add and remove them."""

    template_name = "leads/rules.html"
    capability = Capability.READ_VENDOR_SIDE
    post_capability = Capability.EDIT_LEAD_RULES
    form_name = "form"
    http_method_names = ["get", "post", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)

        context.setdefault("form", LeadRuleForm())
        priorities = {t: int(v) for t, v in benefit_values(self.tenant, BenefitKind.LEAD_PRIORITY).items()}
        rules = list(rule_list(tenant=self.tenant))
        for rule in rules:
            rule.effective_weights = rule.weights(priorities)
        context["rules"] = rules
        return context

    def build_form(self, data, files):
        return LeadRuleForm(data)

    def save(self, form) -> str:
        rule = distribution.lead_rule_save(tenant=self.tenant, actor=self.request.user, **form.values())
        return _("Rule “%(n)s” saved.") % {"n": rule.name}


class LeadRuleDeleteView(PageAction):
    capability = Capability.EDIT_LEAD_RULES
    model = LeadRule

    def perform(self, request):
        rule = get_object_or_404(rule_list(tenant=self.tenant), pk=self.kwargs["pk"])
        distribution.lead_rule_delete(rule=rule, actor=request.user)
        return _("Rule deleted.")

    def success_url(self):
        return reverse("leads:rules", kwargs={"tenant": self.tenant.slug})
