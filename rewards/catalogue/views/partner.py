"""The *Rewards* page: a partner's points balance, what it can buy, its history; redeeming.

Partner users see their own partner; staff pick a partner (``?partner=``) and may redeem for it.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from incentives.forms import PartnerChoiceForm
from partners.models import Partner
from prm.portal.views import PageFormAction, TenantPageMixin
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability

from ..forms import RedeemForm
from ..ledger import counted
from ..models import RewardItem
from ..pictures import picture_response
from ..selectors import item_list, offer_for, redemption_list
from ..services.redemptions import redemption_request
from ..summary import points_summary

#: the other rewards pages the *Rewards* page links to (those of the rewards apps installed)
REWARDS_PAGES = [
    ("contests:list", gettext_lazy("Contests")),
    ("recognition:awards", gettext_lazy("Awards")),
    ("preferences:preferences", gettext_lazy("Reward preferences")),
]


def rewards_links(tenant) -> list[dict]:
    """``[{"url", "label"}]`` of the other rewards pages that exist."""
    links = []
    for name, label in REWARDS_PAGES:
        try:
            links.append({"url": reverse(name, kwargs={"tenant": tenant.slug}), "label": label})
        except NoReverseMatch:
            continue
    return links


class RewardsView(TenantPageMixin, PageFormAction, TemplateView):
    """Balance, the rewards the partner may redeem (for its preferences first), its ledger and its
    redemptions; POST redeems one."""

    template_name = "catalogue/rewards.html"
    capability = Capability.READ
    post_capability = Capability.REDEEM_POINTS
    partner_scope = "partner"
    http_method_names = ["get", "post", "head", "options"]
    form_name = "redeem_form"

    def partner(self):
        if self.access.is_partner:
            return get_object_or_404(Partner.objects.for_tenant(self.tenant), pk=self.access.partner_id)
        given = self.request.POST.get("partner") or self.request.GET.get("partner") or ""
        if given.isdigit():
            return Partner.objects.for_tenant(self.tenant).filter(pk=int(given)).first()
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.partner()
        picker = None
        if not self.access.is_partner:
            picker = PartnerChoiceForm(initial={"partner": partner} if partner else None, tenant=self.tenant)
        context.update(partner=partner, picker=picker, rewards_links=rewards_links(self.tenant))
        if partner is not None:
            summary = points_summary(partner)
            offer = offer_for(tenant=self.tenant, partner=partner)
            for item in offer:
                item.affordable = item.points <= summary["balance"] and not item.sold_out
                item.text = item.description_in(default=self.tenant.default_language)
            context.update(
                summary=summary,
                offer=offer,
                ledger=list(counted(self.tenant).filter(partner=partner).select_related("run")[:50]),
                redemptions=list(redemption_list(tenant=self.tenant).filter(partner=partner)[:20]),
            )
        context.setdefault("redeem_form", RedeemForm())
        return context

    def build_form(self, data, files):
        return RedeemForm(data)

    def save(self, form) -> str:
        partner = self.partner()
        if partner is None:
            raise ValidationError(_("Choose the partner whose points are spent."))
        item = get_object_or_404(item_list(tenant=self.tenant), pk=form.cleaned_data["item"])
        redemption = redemption_request(
            tenant=self.tenant,
            partner=partner,
            item=item,
            actor=self.request.user,
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
        )
        return _("Redeemed: %(points)d points reserved for %(item)s; a manager will confirm it.") % {
            "points": redemption.points,
            "item": redemption.item_name,
        }

    def success_url(self):
        url = reverse("catalogue:rewards", kwargs={"tenant": self.tenant.slug})
        if not self.access.is_partner and self.request.POST.get("partner", "").isdigit():
            url += f"?partner={self.request.POST['partner']}"
        return url


class PictureView(TenantPageMixin, TemplateView):
    """A reward's picture for anyone of the tenant (the catalogue is shared with every partner)."""

    capability = Capability.READ
    partner_scope = SHARED_WITH_PARTNERS
    model = RewardItem
    empty_is_404 = True  # a reward without a picture answers 404 (tests/test_isolation.py)

    def get(self, request, *args, **kwargs):
        item = get_object_or_404(self.scoped(RewardItem.objects.for_tenant(self.tenant)), pk=kwargs["pk"])
        return picture_response(item)
