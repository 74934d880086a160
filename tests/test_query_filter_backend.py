"""``QueryFilterBackend``: a list request naming no filter skips the filter form, and nothing else
changes: filters still filter, bad values are still 400, ordering still orders."""

import django_filters
import pytest
from django.http import QueryDict

from partners.filters import PartnerFilter, SaleFilter
from partners.models import Sale
from prm.api.filters import names_a_filter
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

BASE = "/api/v1/tenants/alpha"


class RangeFilter(django_filters.FilterSet):
    created = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Sale
        fields = ["created"]


class RequiredFilter(django_filters.FilterSet):
    product = django_filters.CharFilter(required=True)

    class Meta:
        model = Sale
        fields = ["product"]


@pytest.mark.parametrize(
    ("query", "filterset", "named"),
    [
        ("", PartnerFilter, False),
        ("page=2&page_size=10&ordering=-name", PartnerFilter, False),
        ("cursor=abc&ordering=date", SaleFilter, False),
        ("stage=selection", PartnerFilter, True),
        ("q=", PartnerFilter, True),  # an empty value is still the filterset's to read
        ("date_from=2026-01-01", SaleFilter, True),
        ("created_after=2026-01-01", RangeFilter, True),  # a range widget's suffixed parameter
        ("", RequiredFilter, True),  # bound anyway: the missing value stays a 400
    ],
)
def test_a_request_names_a_filter_when_a_parameter_starts_with_its_name(query, filterset, named):
    assert names_a_filter(QueryDict(query), filterset) is named


@pytest.mark.django_db
def test_partner_list_filters_orders_and_refuses_as_before(api, tenant, member):
    PartnerFactory(tenant=tenant, name="Alpha", region="North", stage="selection")
    PartnerFactory(tenant=tenant, name="Beta", region="South")
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    def names(query):
        return [p["name"] for p in client.get(f"{BASE}/partners/?{query}").json()["results"]]

    assert names("") == ["Alpha", "Beta"]
    assert names("ordering=-name") == ["Beta", "Alpha"]
    assert names("region=south") == ["Beta"]
    assert names("stage=selection&ordering=-name") == ["Alpha"]
    assert client.get(f"{BASE}/partners/?stage=nonsense").status_code == 400
    assert client.get(f"{BASE}/sales/?date_from=not-a-date").status_code == 400
