"""The price list page: staff see every tier's terms and import the list; a partner user sees its
own tier's only (and no other tier's)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from prm.portal.views import TenantPageMixin, import_page_response
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability

from . import selectors
from .forms import PriceFilterForm, PriceImportForm
from .models import ListPrice
from .services import prices_import

#: the most prices a page lists
SHOWN = 300


class PricesView(TenantPageMixin, TemplateView):
    """``prices/``: the price list with the filters; partner users see their tier's terms."""

    template_name = "pricing/prices.html"
    capability = Capability.READ
    partner_scope = SHARED_WITH_PARTNERS  # every partner reads it (its own tier's terms only)
    model = ListPrice

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PriceFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        tier = selectors.partner_tier(self.tenant, self.access.partner_id) if self.access.is_partner else None
        prices = selectors.price_list(
            self.tenant,
            tier=tier,
            product=filters.get("q", ""),
            currency=filters.get("currency", ""),
            current=filters.get("current", False),
        )
        context.setdefault("import_form", PriceImportForm())
        context.update(
            form=form,
            prices=list(prices[:SHOWN]),
            partner_tier=tier,
            is_partner=self.access.is_partner,
            tiers=["A", "B", "C", "D"],
        )
        return context


class PricesImportView(PricesView):
    """Import the price list from a CSV: all or nothing, each bad row named with its field."""

    capability = Capability.MANAGE_PRICES
    partner_scope = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return import_page_response(
            self,
            PriceImportForm(request.POST, request.FILES),
            lambda upload: prices_import(tenant=self.tenant, actor=request.user, file=upload),
            _("Imported: %(c)d prices and tier terms new or changed, %(u)d unchanged."),
            success_url=reverse("pricing:prices", kwargs={"tenant": self.tenant.slug}),
        )
