"""A run keeps a summary of its lines and warnings when it is computed or adjusted: its page and
the API read it instead of every line and warning, and say exactly what they said before."""

from decimal import Decimal as D

import pytest

from incentives import run_warnings, selectors
from incentives.models import PayoutRun
from incentives.services.runs import payout_adjustment_add
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.incentives.test_run_chunks import channel, compute  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def shown(tenant, run_id) -> dict:
    """What the run's page and API show of its lines and warnings, read as they read it."""
    with tenant_context(tenant):
        run = selectors.run_summaries(tenant=tenant).get(pk=run_id)
        return {
            "totals": selectors.run_totals(tenant=tenant, run=run),
            "groups": run_warnings.groups(run),
            "open": run_warnings.unacknowledged(run),
            "counts": (run.lines_count, run.warnings_count),
        }


def forgotten(tenant, run_id) -> None:
    """The run as if computed before summaries were kept: everything is read live."""
    with tenant_context(tenant):
        PayoutRun.objects.filter(pk=run_id).update(summary=None)


def test_the_kept_summary_shows_what_the_lines_and_warnings_say(tenant, channel, member, api):  # noqa: F811
    # given: a run with lines of two kinds and warnings of three
    run = compute(tenant)

    # when
    kept = shown(tenant, run.pk)
    api_kept = api(member(tenant, Role.FINANCE)).get(f"/api/v1/tenants/alpha/payout-runs/{run.pk}/").json()
    forgotten(tenant, run.pk)
    live = shown(tenant, run.pk)

    # then: the same totals, groups and counts, kept or read live
    assert run.summary["lines"] == 15 and {k["kind"] for k in run.summary["kinds"]} == {
        "commission",
        "points",
    }
    assert len(kept["groups"]) == 3 and kept == live
    assert (api_kept["lines_count"], api_kept["warnings_count"]) == kept["counts"]


def test_an_adjustment_updates_the_kept_summary(tenant, channel, member):  # noqa: F811
    # given
    run = compute(tenant)
    finance = member(tenant, Role.FINANCE)

    # when
    with tenant_context(tenant):
        payout_adjustment_add(
            run=run, actor=finance, partner=channel[0], amount=D("-12.50"), reason="Credit note"
        )
    kept = shown(tenant, run.pk)
    forgotten(tenant, run.pk)

    # then: the adjustment is a kind of its own, counted, in the total
    assert kept == shown(tenant, run.pk)
    adjustment = [k for k in kept["totals"]["per_kind"] if k["kind"] == "adjustment"]
    assert [(k["total"], k["lines"]) for k in adjustment] == [(D("-12.50"), 1)]
    assert kept["counts"][0] == 16


def test_the_run_page_counts_its_lines_and_partners_from_the_summary(tenant, channel, member, web):  # noqa: F811
    # given
    run = compute(tenant)
    client = web(member(tenant, Role.FINANCE))

    # when
    def counts():
        page = client.get(f"/t/alpha/payouts/{run.pk}/")
        one = client.get(f"/t/alpha/payouts/{run.pk}/?partner={channel[0].pk}")
        return (
            page.context["page_obj"].paginator.count,
            page.context["partner_page"].paginator.count,
            one.context["page_obj"].paginator.count,
        )

    kept = counts()
    forgotten(tenant, run.pk)

    # then: 15 lines of 5 partners, 3 of them the first partner's, kept or counted
    assert kept == counts() == (15, 5, 3)
