"""Payments of approved runs."""

from rest_framework import mixins

from incentives import selectors
from incentives.api import serializers as s
from incentives.models import Payment
from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability as C


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Payments of approved runs (the bank's date and reference per partner); partners see their own.
    Finance records them on the run: ``payout-runs/{id}/payments/``."""

    model = Payment
    serializer_class = s.PaymentSerializer
    read_capability = C.READ
    partner_scope = "partner"
    filterset_fields = ["partner", "run"]

    def base_queryset(self):
        return selectors.payment_list(tenant=self.tenant)
