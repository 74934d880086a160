"""Targets (set, import, acknowledge), KPI definitions, and engagement inputs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from partners.models import Partner
from prm.portal.forms import apply_service_errors
from prm.portal.paging import CappedPaginator
from prm.portal.views import PageAction, PageFormAction, TenantPageMixin, import_page_response
from prm.tenancy.capabilities import Capability

from .. import selectors
from ..choices import Side
from ..defaults import ensure_vendor_side_kpis
from ..filters import TargetFilter
from ..forms import ImportForm, KpiForm, ProductRegistrationForm, SatisfactionForm, TargetForm
from ..models import Kpi, Target
from ..services import inputs


class TargetsView(TenantPageMixin, ListView):
    """Targets by period: managers set or import them, partners acknowledge their own."""

    template_name = "scorecards/targets.html"
    context_object_name = "targets"
    paginate_by = 100
    capability = Capability.READ
    partner_scope = "partner"

    def get_queryset(self):
        targets = self.scoped(selectors.target_list(tenant=self.tenant))
        data = self.request.GET.copy()
        if not data.get("period") and not data.get("partner"):
            # one period at a time unless a partner is asked for: its partners then come in name
            # order from the index, where every period's targets at once would be sorted in full
            data["period"] = selectors.latest_target_period(targets) or ""
        self.period = data.get("period", "")
        self.filterset = TargetFilter(data or None, queryset=targets, request=self.request)
        return self.filterset.qs.order_by("-period", "partner__name", "kpi__position")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TargetForm(tenant=self.tenant))
        context.setdefault("import_form", ImportForm())
        context.update(filter=self.filterset, period=self.period)
        return context


class TargetSetView(PageFormAction, TargetsView):
    capability = Capability.SET_TARGETS

    def build_form(self, data, files):
        self.object_list = self.get_queryset()
        return TargetForm(data, tenant=self.tenant)

    def save(self, form):
        inputs.target_set(tenant=self.tenant, actor=self.request.user, **form.cleaned_data)
        return _("Target saved; the partner will be asked to acknowledge it.")

    def success_url(self):
        return reverse("scorecards:targets", kwargs={"tenant": self.tenant.slug})


class TargetsImportView(TargetsView):
    capability = Capability.SET_TARGETS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        return import_page_response(
            self,
            ImportForm(request.POST, request.FILES),
            lambda upload: inputs.targets_import(tenant=self.tenant, actor=request.user, file=upload),
            _("Imported: %(c)d targets set, %(u)d unchanged."),
            success_url=reverse("scorecards:targets", kwargs={"tenant": self.tenant.slug}),
        )


class TargetAcknowledgeView(TenantPageMixin, View):
    capability = Capability.ACKNOWLEDGE_TARGET
    partner_scope = "partner"
    model = Target
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        target = get_object_or_404(self.scoped(selectors.target_list(tenant=self.tenant)), pk=kwargs["pk"])
        inputs.target_acknowledge(target=target, actor=request.user)
        messages.success(request, _("Target acknowledged."))
        return redirect("scorecards:targets", tenant=self.tenant.slug)


class KpiListView(TenantPageMixin, TemplateView):
    template_name = "scorecards/kpis.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kpis"] = list(selectors.kpi_list(tenant=self.tenant))
        context["vendor_side"] = any(k.side == Side.VENDOR and k.active for k in context["kpis"])
        return context


class VendorSideKpisView(PageAction):
    """Add the KPIs that measure the vendor's side of activation (those the tenant lacks)."""

    capability = Capability.EDIT_PROGRAMME

    def perform(self, request):
        added = ensure_vendor_side_kpis(self.tenant)
        return _("Added: %(codes)s. Recompute a period to apply them.") % {"codes": ", ".join(added) or "—"}

    def success_url(self):
        return reverse("scorecards:kpis", kwargs={"tenant": self.tenant.slug})


class KpiEditView(TenantPageMixin, FormView):
    """Admins create (no pk) or edit a KPI definition."""

    template_name = "scorecards/kpi_form.html"
    form_class = KpiForm
    capability = Capability.EDIT_PROGRAMME
    model = Kpi

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(selectors.kpi_list(tenant=self.tenant), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            inputs.kpi_save(tenant=self.tenant, actor=self.request.user, kpi=self.get_object(), **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("KPI saved. Recompute a period to apply it."))
        return redirect("scorecards:kpis", tenant=self.tenant.slug)


class EngagementView(TenantPageMixin, TemplateView):
    """Product registrations (partners submit their own) and satisfaction results (managers enter)."""

    template_name = "scorecards/engagement.html"
    capability = Capability.READ
    partner_scope = "partner"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        registrations = self.scoped(selectors.product_registration_list(tenant=self.tenant))
        results = self.scoped(selectors.satisfaction_list(tenant=self.tenant))
        if query:
            registrations = registrations.filter(
                Q(customer__icontains=query)
                | Q(product__icontains=query)
                | Q(serial__icontains=query)
                | Q(partner__name__icontains=query)
            )
            results = results.filter(Q(respondent__icontains=query) | Q(partner__name__icontains=query))
        registrations = CappedPaginator(registrations.order_by("-date", "-id"), 50).get_page(
            self.request.GET.get("page")
        )
        results = CappedPaginator(results.order_by("-date", "-id"), 50).get_page(
            self.request.GET.get("results_page")
        )
        context.setdefault(
            "registration_form",
            ProductRegistrationForm(tenant=self.tenant, partner_id=self.access.partner_id),
        )
        context.setdefault("satisfaction_form", SatisfactionForm(tenant=self.tenant))
        context.update(registrations=registrations, results=results)
        return context


class SatisfactionAddView(PageFormAction, EngagementView):
    capability = Capability.SET_TARGETS
    form_name = "satisfaction_form"

    def build_form(self, data, files):
        return SatisfactionForm(data, tenant=self.tenant)

    def save(self, form):
        inputs.satisfaction_add(tenant=self.tenant, **form.cleaned_data)
        return _("Survey result recorded.")

    def success_url(self):
        return reverse("scorecards:engagement", kwargs={"tenant": self.tenant.slug})


class ProductRegistrationAddView(PageFormAction, EngagementView):
    capability = Capability.REGISTER_PRODUCTS
    form_name = "registration_form"

    def build_form(self, data, files):
        return ProductRegistrationForm(data, tenant=self.tenant, partner_id=self.access.partner_id)

    def save(self, form):
        data = dict(form.cleaned_data)
        partner = data.pop("partner", None) or Partner.objects.for_tenant(self.tenant).get(
            pk=self.access.partner_id
        )
        inputs.product_registration_add(tenant=self.tenant, actor=self.request.user, partner=partner, **data)
        return _("Product registered.")

    def success_url(self):
        return reverse("scorecards:engagement", kwargs={"tenant": self.tenant.slug})
