"""Targets (set, import, acknowledge), KPI definitions, and engagement inputs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from partners.models import Partner
from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin, import_page_response
from prm.tenancy.choices import ALL_ROLES, Role

from .. import selectors
from ..defaults import ensure_default_kpis
from ..filters import TargetFilter
from ..forms import ImportForm, KpiForm, ProductRegistrationForm, SatisfactionForm, TargetForm
from ..models import Kpi, Target
from ..services import inputs

MANAGERS = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER})


class TargetsView(TenantPageMixin, ListView):
    """Targets by period: managers set or import them, partners acknowledge their own."""

    template_name = "scorecards/targets.html"
    context_object_name = "targets"
    paginate_by = 100
    roles = ALL_ROLES
    partner_scope = "partner"

    def get_queryset(self):
        self.filterset = TargetFilter(
            self.request.GET or None,
            queryset=self.scoped(selectors.target_list(tenant=self.tenant)),
            request=self.request,
        )
        return self.filterset.qs.order_by("-period", "partner__name", "kpi__position")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TargetForm(tenant=self.tenant))
        context.setdefault("import_form", ImportForm())
        context.update(filter=self.filterset, can_edit=self.access.role in MANAGERS)
        return context

    def post(self, request, *args, **kwargs):
        if self.access.role not in MANAGERS:
            messages.error(request, _("Your role may not set targets."))
            return redirect("scorecards:targets", tenant=self.tenant.slug)
        self.object_list = self.get_queryset()
        if "file" in request.FILES:
            return import_page_response(
                self, ImportForm(request.POST, request.FILES),
                lambda upload: inputs.targets_import(tenant=self.tenant, actor=request.user, file=upload),
                _("Imported: %(c)d targets set, %(u)d unchanged."),
            )  # fmt: skip
        form = TargetForm(request.POST, tenant=self.tenant)
        if form.is_valid():
            try:
                inputs.target_set(tenant=self.tenant, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Target saved; the partner will be asked to acknowledge it."))
                return redirect("scorecards:targets", tenant=self.tenant.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TargetAcknowledgeView(TenantPageMixin, View):
    roles = frozenset({Role.PARTNER})
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
        ensure_default_kpis(self.tenant)
        context.update(
            kpis=list(selectors.kpi_list(tenant=self.tenant)), can_edit=self.access.role == Role.ADMIN
        )
        return context


class KpiEditView(TenantPageMixin, FormView):
    """Admins create (no pk) or edit a KPI definition."""

    template_name = "scorecards/kpi_form.html"
    form_class = KpiForm
    roles = frozenset({Role.ADMIN})
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
    roles = ALL_ROLES
    partner_scope = "partner"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        registrations = self.scoped(selectors.product_registration_list(tenant=self.tenant))
        results = self.scoped(selectors.satisfaction_list(tenant=self.tenant))
        if query:
            registrations = registrations.filter(
                Q(customer__icontains=query) | Q(product__icontains=query) | Q(serial__icontains=query)
                | Q(partner__name__icontains=query)
            )  # fmt: skip
            results = results.filter(Q(respondent__icontains=query) | Q(partner__name__icontains=query))
        registrations = Paginator(registrations.order_by("-date", "-id"), 50).get_page(
            self.request.GET.get("page")
        )
        results = Paginator(results.order_by("-date", "-id"), 50).get_page(
            self.request.GET.get("results_page")
        )
        context.setdefault(
            "registration_form",
            ProductRegistrationForm(tenant=self.tenant, partner_id=self.access.partner_id),
        )
        context.setdefault("satisfaction_form", SatisfactionForm(tenant=self.tenant))
        context.update(
            registrations=registrations,
            results=results,
            can_enter_results=self.access.role in MANAGERS,
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("form") == "satisfaction":
            if self.access.role not in MANAGERS:
                messages.error(request, _("Your role may not enter survey results."))
                return redirect("scorecards:engagement", tenant=self.tenant.slug)
            form = SatisfactionForm(request.POST, tenant=self.tenant)
            if form.is_valid():
                inputs.satisfaction_add(tenant=self.tenant, **form.cleaned_data)
                messages.success(request, _("Survey result recorded."))
                return redirect("scorecards:engagement", tenant=self.tenant.slug)
            return self.render_to_response(self.get_context_data(satisfaction_form=form), status=400)
        if self.access.role not in MANAGERS | {Role.PARTNER}:
            messages.error(request, _("Your role may not register products."))
            return redirect("scorecards:engagement", tenant=self.tenant.slug)
        form = ProductRegistrationForm(request.POST, tenant=self.tenant, partner_id=self.access.partner_id)
        if form.is_valid():
            data = dict(form.cleaned_data)
            partner = data.pop("partner", None) or Partner.objects.get(pk=self.access.partner_id)
            try:
                inputs.product_registration_add(
                    tenant=self.tenant, actor=request.user, partner=partner, **data
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Product registered."))
                return redirect("scorecards:engagement", tenant=self.tenant.slug)
        return self.render_to_response(self.get_context_data(registration_form=form), status=400)
