"""A payout run pays for what happened: a period that has not started is refused, naming the field,
on the page and in the API; the period under way and past ones are computed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from incentives.models import PayoutRun
from incentives.services.run_compute import payout_run_compute
from incentives.services.run_periods import ensure_started
from prm.jobs.models import Job
from prm.periods import parse_period, period_containing
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context

BASE = "/api/v1/tenants/alpha"

pytestmark = pytest.mark.django_db


def next_quarter() -> str:
    return period_containing(date.today()).next().code


def test_a_period_that_starts_tomorrow_has_not_started():
    with pytest.raises(ValidationError) as refused:
        ensure_started(parse_period("2026-08"), today=date(2026, 7, 31))
    assert "2026-08 has not started yet" in refused.value.message_dict["period"][0]
    ensure_started(parse_period("2026-08"), today=date(2026, 8, 1))  # its first day: under way
    ensure_started(parse_period("2026-Q3"), today=date(2026, 12, 7))


def test_the_api_refuses_a_run_for_a_period_that_has_not_started(api, tenant, member):
    client = api(member(tenant, Role.FINANCE))

    response = client.post(f"{BASE}/payout-runs/", {"period": next_quarter()}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["period"]
    assert "has not started yet" in response.json()["period"][0]
    assert not Job.objects.for_tenant(tenant).exists()


def test_the_api_computes_the_period_under_way(api, tenant, member):
    client = api(member(tenant, Role.FINANCE))
    response = client.post(f"{BASE}/payout-runs/", {"period": period_containing(date.today()).code})
    assert response.status_code == 202


def test_the_runs_page_refuses_a_future_period_on_its_field(web, tenant, member):
    client = web(member(tenant, Role.FINANCE))

    response = client.post("/t/alpha/payouts/", {"period": next_quarter()})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true" aria-describedby="period-errors"' in html  # on the period field
    assert f'id="period-errors">{next_quarter()} has not started yet' in html
    assert not Job.objects.for_tenant(tenant).exists()


def test_the_service_refuses_it_too(tenant):
    with tenant_context(tenant), pytest.raises(ValidationError) as refused:
        payout_run_compute(tenant=tenant, period=next_quarter())
    assert "has not started yet" in refused.value.message_dict["period"][0]
    assert not PayoutRun.objects.for_tenant(tenant).exists()
