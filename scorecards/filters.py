"""FilterSets of scorecards/, shared by the API and the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partners.choices import Tier
from partners.filters import _partners as partners_for

from .models import Scorecard, Target


def _partners(request):

    return partners_for(request)


class ScorecardFilter(django_filters.FilterSet):
    period = django_filters.CharFilter()
    partner = django_filters.ModelChoiceFilter(queryset=lambda request: _partners(request))
    tier = django_filters.ChoiceFilter(choices=Tier.choices)
    region = django_filters.CharFilter(lookup_expr="iexact", label=_("Region"))

    class Meta:
        model = Scorecard
        fields = ["period", "partner", "tier", "region"]


class TargetFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(queryset=lambda request: _partners(request))
    period = django_filters.CharFilter()

    class Meta:
        model = Target
        fields = ["partner", "period"]
