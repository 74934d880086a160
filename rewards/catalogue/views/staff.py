"""Managers' pages: the catalogue (add and change rewards), the redemptions (the queue oldest
first, fulfilment, one redemption with its history) and the fulfilment CSV. Partner users read
their own partner's redemptions here too."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView, View

from prm.portal.views import PageAction, PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from ..choices import OPEN, RedemptionStatus
from ..exports import fulfilment_csv
from ..forms import FulfilForm, NoteForm, RedemptionFilterForm, RewardItemForm
from ..models import Redemption, RewardItem
from ..selectors import item_list, redemption_list, redemption_queue
from ..services import items, redemptions
from ..services.restock import waiting_prizes


class CatalogueView(TenantPageMixin, PageFormAction, TemplateView):
    """Every reward, offered or not, with its stock and window; managers add one."""

    template_name = "catalogue/catalogue.html"
    capability = Capability.READ_VENDOR_SIDE
    post_capability = Capability.MANAGE_CATALOGUE
    http_method_names = ["get", "post", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RewardItemForm(initial={"active": True}))
        context["items"] = list(item_list(tenant=self.tenant))
        return context

    def build_form(self, data, files):
        return RewardItemForm(data, files)

    def save(self, form) -> str:
        item = items.reward_save(tenant=self.tenant, actor=self.request.user, **form.values())
        return _("Reward “%(n)s” added to the catalogue.") % {"n": item.name}

    def success_url(self):
        return reverse("catalogue:catalogue", kwargs={"tenant": self.tenant.slug})


class ItemView(TenantPageMixin, PageFormAction, TemplateView):
    """One reward: managers change it (and its picture)."""

    template_name = "catalogue/item.html"
    capability = Capability.READ_VENDOR_SIDE
    post_capability = Capability.MANAGE_CATALOGUE
    http_method_names = ["get", "post", "head", "options"]
    model = RewardItem

    def item(self):
        return get_object_or_404(item_list(tenant=self.tenant), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.item()
        context.setdefault("form", RewardItemForm(initial=RewardItemForm.initial_of(item)))
        context.update(
            item=item,
            redemptions=list(redemption_list(tenant=self.tenant).filter(item=item)[:20]),
            waiting=waiting_prizes(item).count(),
        )
        return context

    def build_form(self, data, files):
        return RewardItemForm(data, files)

    def save(self, form) -> str:
        item = items.reward_save(
            tenant=self.tenant, actor=self.request.user, item=self.item(), **form.values()
        )
        return _("Reward “%(n)s” saved.") % {"n": item.name}

    def success_url(self):
        return reverse("catalogue:item", kwargs={"tenant": self.tenant.slug, "pk": self.kwargs["pk"]})


class RedemptionsView(TenantPageMixin, ListView):
    """Staff: the queue (requested, oldest first) and every redemption (filter by status); a
    partner user: its partner's redemptions."""

    template_name = "catalogue/redemptions.html"
    context_object_name = "redemptions"
    paginate_by = 50
    capability = Capability.READ
    partner_scope = "partner"

    def get_queryset(self):
        self.filter_form = RedemptionFilterForm(self.request.GET or None)
        rows = self.scoped(redemption_list(tenant=self.tenant))
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["status"]:
            rows = rows.filter(status=self.filter_form.cleaned_data["status"])
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queue = []
        if not self.access.is_partner:
            queue = list(redemption_queue(tenant=self.tenant)[:50])
            in_fulfilment = (
                redemption_list(tenant=self.tenant)
                .filter(status__in=[s for s in OPEN if s != RedemptionStatus.REQUESTED])
                .order_by("created_at", "pk")
            )
            context["in_fulfilment"] = list(in_fulfilment[:50])
        context.update(
            queue=queue,
            filter_form=self.filter_form,
            note_form=NoteForm(),
            fulfil_form=FulfilForm(),
        )
        return context


class RedemptionView(TenantPageMixin, TemplateView):
    """One redemption with its history and the moves the reader may make."""

    template_name = "catalogue/redemption.html"
    capability = Capability.READ
    partner_scope = "partner"
    model = Redemption

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        redemption = get_object_or_404(self.scoped(redemption_list(tenant=self.tenant)), pk=kwargs["pk"])
        context.update(
            redemption=redemption,
            note_form=NoteForm(),
            fulfil_form=FulfilForm(),
            cancellable=redemption.status == RedemptionStatus.REQUESTED
            or (not self.access.is_partner and redemption.status in OPEN[:3]),
        )
        return context


class RedemptionAction(PageAction):
    """A move of one redemption, back to it."""

    partner_scope = "partner"
    model = Redemption

    def redemption(self):
        return get_object_or_404(self.scoped(redemption_list(tenant=self.tenant)), pk=self.kwargs["pk"])

    def note(self) -> str:
        return (self.request.POST.get("note") or "").strip()

    def success_url(self):
        return reverse("catalogue:redemption", kwargs={"tenant": self.tenant.slug, "pk": self.kwargs["pk"]})


class ApproveView(RedemptionAction):
    capability = Capability.DECIDE_REDEMPTION
    partner_scope = None

    def perform(self, request):
        r = redemptions.redemption_decide(
            redemption=self.redemption(), actor=request.user, approve=True, note=self.note()
        )
        return _("Redemption #%(id)d approved: fulfil it.") % {"id": r.pk}


class RefuseView(RedemptionAction):
    capability = Capability.DECIDE_REDEMPTION
    partner_scope = None

    def perform(self, request):
        r = redemptions.redemption_decide(
            redemption=self.redemption(), actor=request.user, approve=False, note=self.note()
        )
        return _("Redemption #%(id)d refused; %(points)d points given back.") % {
            "id": r.pk,
            "points": r.points,
        }


class FulfilView(RedemptionAction):
    capability = Capability.DECIDE_REDEMPTION
    partner_scope = None

    def perform(self, request):
        r = redemptions.redemption_fulfil(
            redemption=self.redemption(),
            actor=request.user,
            status=request.POST.get("status", ""),
            note=self.note(),
        )
        return _("Redemption #%(id)d is now %(status)s.") % {"id": r.pk, "status": r.get_status_display()}


class CancelView(RedemptionAction):
    capability = Capability.REDEEM_POINTS

    def perform(self, request):
        r = redemptions.redemption_cancel(
            redemption=self.redemption(),
            actor=request.user,
            by_partner=self.access.is_partner,
            note=self.note(),
        )
        return _("Redemption #%(id)d cancelled; %(points)d points given back.") % {
            "id": r.pk,
            "points": r.points,
        }


class ExportView(TenantPageMixin, View):
    """The CSV of the redemptions to fulfil."""

    capability = Capability.DECIDE_REDEMPTION

    def get(self, request, *args, **kwargs):
        return fulfilment_csv(self.tenant)
