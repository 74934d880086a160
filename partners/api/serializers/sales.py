"""Sales records, in the detail and in the list."""

from functools import cached_property

from django.utils import timezone
from rest_framework import serializers

from partners.api.fields import CurrencyField
from partners.models import Partner, Sale
from prm.api.fields import date_text, datetime_text, decimal_text


class SaleSerializer(serializers.ModelSerializer):
    currency = CurrencyField(required=False)

    class Meta:
        model = Sale
        fields = [
            "id",
            "external_id",
            "partner",
            "date",
            "product",
            "quantity",
            "amount",
            "currency",
            "customer",
            "self_sourced",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        fields["partner"].queryset = Partner.objects.for_tenant(tenant) if tenant else Partner.objects.none()
        return fields


_SALE_QUANTITY, _SALE_AMOUNT = Sale._meta.get_field("quantity"), Sale._meta.get_field("amount")


class SaleListSerializer(SaleSerializer):
    """A page of ``sales/``: ``SaleSerializer``'s representation, each row's dict built directly
    from the sale (the partner as its id: no partner row is read) and the time zone read once per
    request. Pinned to the detail's by ``tests/partners/test_list_representation.py``."""

    @cached_property
    def _zone(self):
        """The request's time zone (one serializer instance represents every row of a page)."""
        return timezone.get_current_timezone()

    def to_representation(self, sale):
        return {
            "id": sale.pk,
            "external_id": sale.external_id,
            "partner": sale.partner_id,
            "date": date_text(sale.date),
            "product": sale.product,
            "quantity": decimal_text(sale.quantity, _SALE_QUANTITY),
            "amount": decimal_text(sale.amount, _SALE_AMOUNT),
            "currency": sale.currency,
            "customer": sale.customer,
            "self_sourced": sale.self_sourced,
            "created_at": datetime_text(sale.created_at, self._zone),
        }
