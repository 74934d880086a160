"""What the partners pages share: object access."""

from django.shortcuts import get_object_or_404

from partners.models import Partner
from partners.selectors import partner_list


class PartnerObjectMixin:
    """Pages about one partner: ``self.partner`` is 404 unless it is the caller's to see."""

    model = Partner

    def get_partner(self):
        if not hasattr(self, "_partner"):
            self._partner = get_object_or_404(
                self.scoped(partner_list(tenant=self.tenant)), pk=self.kwargs["pk"]
            )
        return self._partner
