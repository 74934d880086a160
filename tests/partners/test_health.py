"""Partner health: early-warning signals with reasons, computed with every tier recompute."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from partners.models import HealthChange, Partner
from partners.panels import PANEL_SIZE, attention
from partners.tasks import health_digest
from partners.tiering.recompute import tiers_recompute
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import LeadOfferFactory, PartnerFactory, SaleFactory, ScorecardFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - timedelta(days=200)


def recompute(tenant):
    with tenant_context(tenant):
        return tiers_recompute(tenant=tenant)


def health_of(partner):
    fresh = Partner.objects.for_tenant(partner.tenant).get(pk=partner.pk)
    return fresh.health, [r["code"] for r in fresh.health_reasons]


def signed(tenant, name, **kwargs):
    return PartnerFactory(tenant=tenant, name=name, stage="signed", stage_entered_at=LONG_AGO, **kwargs)


def test_a_quiet_partner_is_watched_and_one_that_sells_is_ok(tenant):
    quiet, selling = signed(tenant, "Quiet"), signed(tenant, "Selling")
    SaleFactory(tenant=tenant, partner=selling)
    newly = PartnerFactory(tenant=tenant, name="Just signed", stage="signed")  # entered today: not quiet yet

    result = recompute(tenant)

    assert health_of(quiet) == ("watch", ["quiet"])
    assert health_of(selling) == ("ok", []) and health_of(newly) == ("ok", [])
    assert result["health"] == {"ok": 2, "watch": 1}


def test_two_reasons_make_a_partner_at_risk_and_the_change_is_kept_once(tenant):
    late = signed(tenant, "Late", stage_due_at=timezone.now() - timedelta(days=5))

    recompute(tenant)
    recompute(tenant)

    assert health_of(late) == ("at_risk", ["quiet", "stage_overdue"])
    change = HealthChange.objects.for_tenant(tenant).get(partner=late)
    assert (change.from_health, change.to_health) == ("ok", "at_risk")


def test_a_score_falling_two_periods_running_alone_is_at_risk(tenant):
    falling, recovering = signed(tenant, "Falling"), signed(tenant, "Recovering")
    for partner in (falling, recovering):
        SaleFactory(tenant=tenant, partner=partner)
    for period, score, previous in (
        ("2026-Q1", "80", None),
        ("2026-Q2", "70", "80"),
        ("2026-Q3", "60", "70"),
    ):
        ScorecardFactory(
            tenant=tenant,
            partner=falling,
            period=period,
            score=Decimal(score),
            previous_score=previous and Decimal(previous),
        )
    for period, score, previous in (("2026-Q2", "70", "80"), ("2026-Q3", "75", "70")):
        ScorecardFactory(
            tenant=tenant,
            partner=recovering,
            period=period,
            score=Decimal(score),
            previous_score=Decimal(previous),
        )

    recompute(tenant)

    assert health_of(falling) == ("at_risk", ["score_falling"])
    assert health_of(recovering) == ("ok", [])


def test_a_large_return_and_ignored_leads_are_reasons(tenant):
    returning, ignoring = signed(tenant, "Returning"), signed(tenant, "Ignoring")
    SaleFactory(tenant=tenant, partner=returning, amount=Decimal("-6000"))
    SaleFactory(tenant=tenant, partner=ignoring)
    for _ in range(2):
        LeadOfferFactory(tenant=tenant, lead__partner=ignoring, partner=ignoring, outcome="expired")

    recompute(tenant)

    assert health_of(returning) == ("watch", ["large_return"])
    assert health_of(ignoring) == ("watch", ["leads_ignored"])
    reasons = Partner.objects.for_tenant(tenant).get(pk=returning.pk).health_reasons
    assert reasons[0]["params"] == {
        "amount": "6000.00",
        "currency": "EUR",
        "date": timezone.localdate().isoformat(),
    }


def test_the_api_filters_by_health_and_explains_it_and_partners_do_not_see_it(
    api, tenant, member, partner_user
):
    late = signed(tenant, "Late", stage_due_at=timezone.now() - timedelta(days=5))
    fine = signed(tenant, "Fine")
    SaleFactory(tenant=tenant, partner=fine)
    recompute(tenant)

    rows = (
        api(member(tenant, Role.CHANNEL_MANAGER)).get("/api/v1/tenants/alpha/partners/?health=at_risk").json()
    )
    own = api(partner_user(tenant, partner=late)).get(f"/api/v1/tenants/alpha/partners/{late.pk}/").json()

    assert [r["id"] for r in rows["results"]] == [late.pk]
    health = rows["results"][0]["health"]
    assert health["status"] == "at_risk" and health["computed_at"]
    assert [r["code"] for r in health["reasons"]] == ["quiet", "stage_overdue"]
    assert "Overdue in its stage by 5 days." in [r["message"] for r in health["reasons"]]
    assert "health" not in own


def test_the_owner_sees_its_flagged_partners_on_the_dashboard_and_in_the_weekly_digest(
    web, tenant, member, mailoutbox, django_capture_on_commit_callbacks
):

    owner, other = member(tenant, Role.CHANNEL_MANAGER), member(tenant, Role.CHANNEL_MANAGER)
    mine = signed(tenant, "Mine Quiet", owner=owner)
    signed(tenant, "Theirs Quiet", owner=other)
    recompute(tenant)

    dashboard = web(owner).get("/t/alpha/").content.decode()
    page = web(owner).get(f"/t/alpha/partners/{mine.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        health_digest()

    assert 'data-testid="needs-attention"' in dashboard and "Mine Quiet" in dashboard
    assert "Theirs Quiet" not in dashboard  # a channel manager's list is its own partners
    assert 'data-testid="partner-health"' in page and "No sale and no deal registration in 90 days." in page
    digest = {tuple(m.to): m.body for m in mailoutbox}
    assert "Mine Quiet" in digest[(owner.email,)] and "Theirs Quiet" not in digest[(owner.email,)]


def test_a_partner_user_cannot_probe_its_health_through_the_filter(api, tenant, partner_user):
    late = signed(tenant, "Late", stage_due_at=timezone.now() - timedelta(days=5))
    recompute(tenant)
    own = api(partner_user(tenant, partner=late))

    assert len(own.get("/api/v1/tenants/alpha/partners/?health=ok").json()["results"]) == 1
    assert len(own.get("/api/v1/tenants/alpha/partners/?health=at_risk").json()["results"]) == 1


def test_the_attention_panel_shows_at_risk_partners_first_each_kind_by_name_however_many_are_flagged(
    tenant, member, django_assert_num_queries
):

    # given: 3 partners at risk and 7 to watch, named out of order, and healthy ones
    for name in ("Risk C", "Risk A", "Risk B"):
        PartnerFactory(tenant=tenant, name=name, stage="signed", health="at_risk")
    for name in ("Watch G", "Watch B", "Watch F", "Watch A", "Watch E", "Watch D", "Watch C"):
        PartnerFactory(tenant=tenant, name=name, stage="signed", health="watch")
    PartnerFactory.create_batch(3, tenant=tenant, stage="signed", health="ok")
    request = SimpleNamespace(
        tenant=tenant, user=member(tenant, Role.ADMIN), tenant_access=SimpleNamespace(role=Role.ADMIN)
    )

    # when: the at-risk partners, the watched ones, the count
    with tenant_context(tenant), django_assert_num_queries(3):
        panel = attention(request)

    # then
    assert [p.name for p in panel["partners"]] == [
        "Risk A",
        "Risk B",
        "Risk C",
        "Watch A",
        "Watch B",
        "Watch C",
        "Watch D",
        "Watch E",
    ]
    assert len(panel["partners"]) == PANEL_SIZE and panel["count"] == 10
