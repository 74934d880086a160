"""Sales (list and CSV import) and deal registrations (list, register, decide)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from partners.filters import DealFilter, SaleFilter
from partners.forms.sales_and_deals import DealCloseForm, DealDecisionForm, DealForm, SalesImportForm
from partners.models import DealRegistration, Partner
from partners.selectors import deal_conflicts, deal_list, registered_by_partners, sale_list
from partners.selling import deals, sales
from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin, import_page_response, refused
from prm.tenancy.capabilities import Capability


class SalesView(TenantPageMixin, ListView):
    """Sales records with filters; managers import a CSV (all-or-nothing, errors by row)."""

    template_name = "partners/sales.html"
    context_object_name = "sales"
    paginate_by = 50
    post_capability = Capability.RECORD_SALES

    def get_queryset(self):
        self.filterset = SaleFilter(
            self.request.GET or None, queryset=self.scoped(sale_list(tenant=self.tenant))
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("import_form", SalesImportForm())
        context.update(filter=self.filterset)
        return context

    def post(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        return import_page_response(
            self,
            SalesImportForm(request.POST, request.FILES),
            lambda upload: sales.sales_import(tenant=self.tenant, file=upload),
            _("Imported: %(c)d new sales, %(u)d already there."),
        )


class DealsView(TenantPageMixin, ListView):
    """Deal registrations with conflicts flagged; partners see and register their own."""

    template_name = "partners/deals.html"
    context_object_name = "deals"
    paginate_by = 50
    capability = Capability.READ
    post_capability = Capability.REGISTER_DEAL
    partner_scope = "partner"

    def get_queryset(self):
        self.filterset = DealFilter(
            self.request.GET or None, queryset=self.scoped(deal_list(tenant=self.tenant))
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["deals"])
        conflicts = deal_conflicts(tenant=self.tenant, deals=page)
        partners_own = registered_by_partners(tenant=self.tenant, deals=page)
        for deal in page:
            deal.conflicts = conflicts.get(deal.pk, [])
            # withdrawn by the side that registered it (deals.deal_withdraw); staff reject a partner's
            deal.withdrawable = deal.status == "pending" and (
                self.access.is_partner or deal.pk not in partners_own
            )
        context.setdefault("form", DealForm(tenant=self.tenant, partner_id=self.access.partner_id))
        context.update(
            deals=page,
            filter=self.filterset,
            decision_form=DealDecisionForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = DealForm(request.POST, tenant=self.tenant, partner_id=self.access.partner_id)
        if form.is_valid():
            data = dict(form.cleaned_data)
            partner = data.pop("partner", None) or Partner.objects.get(pk=self.access.partner_id)
            try:
                deal = deals.deal_register(partner=partner, actor=request.user, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                clash = deal_conflicts(tenant=self.tenant, deals=[deal])[deal.pk]
                if clash and not self.access.is_partner:
                    messages.warning(
                        request,
                        _(
                            "Registered, with a channel conflict: another partner has an open registration for this customer."
                        ),
                    )
                else:
                    messages.success(
                        request, _("Deal registered; protected until %(d)s.") % {"d": deal.expires_at.date()}
                    )
                return redirect("partners:deals", tenant=self.tenant.slug)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DealDecideView(TenantPageMixin, View):
    capability = Capability.DECIDE_DEAL
    model = DealRegistration
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        deal = get_object_or_404(self.scoped(deal_list(tenant=self.tenant)), pk=kwargs["pk"])
        form = DealDecisionForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Approve or reject the registration."))
            deals.deal_decide(deal=deal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            return refused(request, exc, deals_page(self.tenant))
        messages.success(request, _("Decision recorded."))
        return redirect("partners:deals", tenant=self.tenant.slug)


class DealCloseView(TenantPageMixin, View):
    """POST: an open registration was won (with the amount) or lost."""

    capability = Capability.CLOSE_DEAL
    partner_scope = "partner"
    model = DealRegistration
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        deal = get_object_or_404(self.scoped(deal_list(tenant=self.tenant)), pk=kwargs["pk"])
        form = DealCloseForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Say whether the deal was won or lost, and a valid amount."))
            deal = deals.deal_close(deal=deal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            return refused(request, exc, deals_page(self.tenant))
        messages.success(request, _("Recorded: %(status)s.") % {"status": deal.get_status_display()})
        return redirect("partners:deals", tenant=self.tenant.slug)


class DealWithdrawView(TenantPageMixin, View):
    """POST: the registering side takes back a pending registration."""

    capability = Capability.REGISTER_DEAL
    partner_scope = "partner"
    model = DealRegistration
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        deal = get_object_or_404(self.scoped(deal_list(tenant=self.tenant)), pk=kwargs["pk"])
        try:
            deals.deal_withdraw(deal=deal, actor=request.user, reason=request.POST.get("reason", "")[:500])
        except ValidationError as exc:
            return refused(request, exc, deals_page(self.tenant))
        messages.success(request, _("Registration withdrawn: the customer is free for others."))
        return redirect("partners:deals", tenant=self.tenant.slug)


class DealExtendView(TenantPageMixin, View):
    """POST: extend an open registration's protection by ``days``, with a reason."""

    capability = Capability.DECIDE_DEAL
    model = DealRegistration
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        deal = get_object_or_404(self.scoped(deal_list(tenant=self.tenant)), pk=kwargs["pk"])
        try:
            try:
                days = int(request.POST.get("days", "30"))
            except ValueError:
                raise ValidationError(_("Extend by a whole number of days.")) from None
            deals.deal_extend(deal=deal, actor=request.user, days=days, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            return refused(request, exc, deals_page(self.tenant))
        messages.success(request, _("Protection extended to %(d)s.") % {"d": deal.expires_at.date()})
        return redirect("partners:deals", tenant=self.tenant.slug)


def deals_page(tenant) -> str:
    return reverse("partners:deals", kwargs={"tenant": tenant.slug})
