"""FilterSets shared by the API lists and the portal lists."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.choices import DealStatus, Health, OperatingModel, Source, Stage, Tier
from partners.conditions import overdue_q
from partners.models import DealRegistration, Partner, Sale, Visit


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    tier = django_filters.MultipleChoiceFilter(choices=Tier.choices, method="filter_tier")
    region = django_filters.CharFilter(lookup_expr="iexact")
    operating_model = django_filters.ChoiceFilter(choices=OperatingModel.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    owner = django_filters.ModelChoiceFilter(queryset=lambda request: _members(request))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    on_target_list = django_filters.BooleanFilter(label=_("On the target list"))
    key_partner = django_filters.BooleanFilter(label=_("Key partner"))
    health = django_filters.MultipleChoiceFilter(
        choices=Health.choices, label=_("Health"), method="filter_health"
    )

    class Meta:
        model = Partner
        fields = [
            "q",
            "stage",
            "tier",
            "region",
            "operating_model",
            "source",
            "owner",
            "overdue",
            "on_target_list",
            "key_partner",
            "health",
        ]

    def filter_health(self, queryset, name, value):
        """Staff only: the early warning is the vendor's, so a partner user's filter is ignored."""
        access = getattr(self.request, "tenant_access", None)
        if not value or (access is not None and access.is_partner):
            return queryset
        return queryset.filter(health__in=value)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(contacts__name__icontains=value)).distinct()

    def filter_tier(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(tier_override__in=value) | Q(tier_override="", computed_tier__in=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


class VisitFilter(django_filters.FilterSet):
    class Meta:
        model = Visit
        fields = ["kind", "goal_met"]


class SaleFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(queryset=lambda request: _partners(request))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Sale
        fields = ["partner", "product", "currency", "date_from", "date_to"]


class DealFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(queryset=lambda request: _partners(request))
    status = django_filters.MultipleChoiceFilter(choices=DealStatus.choices)
    q = django_filters.CharFilter(method="search", label=_("Customer, product or partner"))

    class Meta:
        model = DealRegistration
        fields = ["partner", "status", "q"]

    def filter_health(self, queryset, name, value):
        """Staff only: the early warning is the vendor's, so a partner user's filter is ignored."""
        access = getattr(self.request, "tenant_access", None)
        if not value or (access is not None and access.is_partner):
            return queryset
        return queryset.filter(health__in=value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(customer__icontains=value) | Q(product__icontains=value) | Q(partner__name__icontains=value)
        )


def _members(request):
    """Owners to choose from: the request's tenant's members only."""
    tenant = getattr(request, "tenant", None)
    users = get_user_model().objects.order_by("username")
    return users.filter(memberships__tenant=tenant) if tenant else users.none()


def _partners(request):
    """Partners to filter by: the request's tenant's only (never a global list)."""
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return Partner.objects.none()
    access = getattr(request, "tenant_access", None)
    if access is not None and access.is_partner:
        return Partner.objects.for_tenant(tenant).filter(pk=access.partner_id)
    return Partner.objects.for_tenant(tenant)
