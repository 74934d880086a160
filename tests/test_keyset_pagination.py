"""Tables that grow without bound page by a keyset cursor: every row once, in order, both ways."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def sales(tenant):
    """Eleven sales over four days, several on the same day (ties broken by id)."""
    partner = PartnerFactory(tenant=tenant)
    start = date(2026, 8, 1)
    return [
        SaleFactory(
            tenant=tenant, partner=partner, date=start + timedelta(days=n % 4), amount=Decimal(100 + n)
        )
        for n in range(11)
    ]


def walk(client, url):
    pages, ids = [], []
    while url:
        body = client.get(url).json()
        assert "count" not in body and set(body) == {"next", "previous", "results"}
        pages.append(body)
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return pages, ids


def test_sales_come_newest_first_once_each_whatever_the_page_size(api, tenant, member, sales):
    client = api(member(tenant, Role.FINANCE))
    expected = [s.pk for s in sorted(sales, key=lambda s: (s.date, s.pk), reverse=True)]

    for size in (1, 3, 4, 50):
        pages, ids = walk(client, f"{BASE}/sales/?page_size={size}")
        assert ids == expected, size
        assert pages[0]["previous"] is None and pages[-1]["next"] is None


def test_the_previous_link_gives_the_page_before(api, tenant, member, sales):
    client = api(member(tenant, Role.FINANCE))
    first = client.get(f"{BASE}/sales/?page_size=4").json()
    second = client.get(first["next"]).json()

    back = client.get(second["previous"]).json()

    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    assert back["previous"] is None and back["next"]


def test_another_ordering_pages_with_the_id_as_tie_break(api, tenant, member, sales):
    client = api(member(tenant, Role.FINANCE))

    _pages, ids = walk(client, f"{BASE}/sales/?ordering=amount&page_size=4")

    assert ids == [s.pk for s in sorted(sales, key=lambda s: (s.amount, s.pk))]


def test_filters_hold_across_pages(api, tenant, member, sales):
    client = api(member(tenant, Role.FINANCE))

    _pages, ids = walk(client, f"{BASE}/sales/?date_from=2026-08-03&page_size=2")

    assert sorted(ids) == sorted(s.pk for s in sales if s.date >= date(2026, 8, 3))


def test_a_made_up_cursor_is_not_found(api, tenant, member, sales):
    client = api(member(tenant, Role.FINANCE))

    assert client.get(f"{BASE}/sales/?cursor=not-a-cursor").status_code == 404


@pytest.mark.parametrize("path", ["payout-lines/", "scorecards/", "audit/", "jobs/"])
def test_the_other_growing_lists_page_by_cursor_too(api, tenant, member, path):
    body = api(member(tenant, Role.ADMIN)).get(f"{BASE}/{path}").json()

    assert set(body) == {"next", "previous", "results"}
