"""List pages count at most COUNT_CAP rows, and still page through every row past it."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator

from partners.models import Partner, Sale
from prm.portal import paging
from prm.portal.paging import CappedPaginator
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_under_the_cap_it_pages_exactly_as_django_does(tenant):
    PartnerFactory.create_batch(7, tenant=tenant)
    with tenant_context(tenant):
        partners = Partner.objects.order_by("pk")
        capped, plain = CappedPaginator(partners, 3, cap=10), Paginator(partners, 3)
        assert (
            (capped.count, capped.num_pages, capped.capped)
            == (plain.count, plain.num_pages, False)
            == (7, 3, False)
        )
        for number in (1, 2, 3, "9", "x"):
            mine, theirs = capped.get_page(number), plain.get_page(number)
            assert list(mine) == list(theirs)
            assert (mine.number, mine.has_next(), mine.end_index()) == (
                theirs.number,
                theirs.has_next(),
                theirs.end_index(),
            )


def test_past_the_cap_every_row_is_reached_page_by_page_and_the_count_reads_cap_plus_one_rows(
    tenant, django_assert_num_queries
):
    PartnerFactory.create_batch(11, tenant=tenant)
    with tenant_context(tenant):
        partners = Partner.objects.order_by("pk")
        paginator = CappedPaginator(partners, 3, cap=5)
        with django_assert_num_queries(1) as captured:
            assert paginator.count == 6 and paginator.capped and paginator.pages_counted == 1
        assert "LIMIT 6" in captured.captured_queries[0]["sql"]
        assert "ORDER BY" not in captured.captured_queries[0]["sql"]  # any six rows say there are more

        seen, page = [], paginator.get_page(1)
        while True:
            seen += list(page)
            if not page.has_next():
                break
            page = paginator.get_page(page.next_page_number())
        assert seen == list(partners) and page.number == 4 and page.end_index() == 11
        # a number past the last row falls back to a page that exists, as Django's get_page does
        assert list(paginator.get_page(50)) and paginator.get_page("x").number == 1


def test_the_sales_page_past_the_cap_says_more_than_and_links_to_the_next_page(
    web, member, tenant, monkeypatch
):
    monkeypatch.setattr(paging, "COUNT_CAP", 120)
    partner = PartnerFactory(tenant=tenant, name="Deep Reseller")
    with tenant_context(tenant):
        Sale.objects.bulk_create(
            Sale(
                tenant=tenant,
                partner=partner,
                external_id=f"S{n}",
                date=date(2026, 1, 1) + timedelta(days=n % 300),
                product="Arm",
                quantity=1,
                amount=Decimal("10.00"),
                currency="EUR",
                customer=f"C{n}",
            )
            for n in range(130)
        )
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    first = client.get("/t/alpha/sales/").content.decode()
    assert "Page 1 of more than 2" in first and "?page=2" in first
    last = client.get("/t/alpha/sales/?page=3").content.decode()
    assert "Page 3 of more than 2" in last and "?page=4" not in last and "?page=2" in last
    assert len(re.findall(r"Deep Reseller", last)) >= 30  # the 30 oldest of 130 sales, 50 a page
