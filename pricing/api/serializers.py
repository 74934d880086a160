from rest_framework import serializers

from ..models import ListPrice, TierTerms


class TierTermsSerializer(serializers.ModelSerializer):
    """A tier's terms on a price: ``max_discount`` (a percentage off the list price a registered
    deal may give), ``band_floor`` (the list price less it) and ``minimum_price`` (the lowest unit
    price a sale may carry)."""

    band_floor = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = TierTerms
        fields = ["tier", "max_discount", "band_floor", "minimum_price"]
        read_only_fields = fields


class ListPriceSerializer(serializers.ModelSerializer):
    """A list price of a product in a currency from ``valid_from`` to ``valid_to`` (inclusive; null:
    open-ended), with the tiers' ``terms``: every tier's for staff, a partner user's own tier's only."""

    terms = TierTermsSerializer(many=True, read_only=True)

    class Meta:
        model = ListPrice
        fields = ["id", "product", "currency", "valid_from", "valid_to", "list_price", "terms"]
        read_only_fields = fields
