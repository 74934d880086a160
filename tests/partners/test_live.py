"""Live figures: a change to a partner's sales, deals, visits or training refreshes that partner's tier
inputs and current scorecard within seconds, debounced, and the nightly recompute finds nothing to
change afterwards (``partners.live``)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from partners import live
from partners.models import Partner
from partners.tiering.recompute import tiers_recompute
from prm.periods import period_containing
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import Scorecard, ScorecardRevision
from scorecards.services.compute import scorecards_compute
from tests.factories import (
    CompletionFactory,
    CourseFactory,
    DealRegistrationFactory,
    PartnerFactory,
    SaleFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def stored(partner) -> Partner:
    return Partner.objects.for_tenant(partner.tenant).get(pk=partner.pk)


@pytest.fixture
def sent(monkeypatch):
    """The refreshes sent to the broker, as (tenant id, partner id, countdown); not run."""
    calls = []

    def apply_async(kwargs, countdown):
        calls.append((kwargs["tenant_id"], kwargs["partner_id"], countdown))

    monkeypatch.setattr("partners.tasks.refresh_live.apply_async", apply_async)
    return calls


@pytest.fixture
def seller(tenant):
    return PartnerFactory(tenant=tenant, name="Seller", stage="signed", region="North")


def test_a_sale_booked_through_the_api_shows_in_the_partners_figures(
    tenant, seller, member, api, django_capture_on_commit_callbacks
):
    manager = api(member(tenant, Role.CHANNEL_MANAGER))
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process (eager)
        response = manager.post(
            f"/api/v1/tenants/{tenant.slug}/sales/",
            {
                "partner": seller.pk,
                "external_id": "L-1",
                "date": timezone.localdate().isoformat(),
                "product": "Robot arm",
                "amount": "1234.50",
                "currency": tenant.currency,
            },
            format="json",
        )
    assert response.status_code == 201, response.content

    partner = stored(seller)
    assert partner.tier_inputs["revenue"] == 1234.5
    assert partner.figures_at is not None
    figures = manager.get(f"/api/v1/tenants/{tenant.slug}/partners/{seller.pk}/figures/").json()
    assert figures["tier_inputs"]["revenue"] == 1234.5
    assert figures["updated_at"] is not None


def test_the_partner_page_says_how_fresh_the_figures_are(tenant, seller, member, web):
    SaleFactory(tenant=tenant, partner=seller, amount=D("500"))
    with tenant_context(tenant):
        live.refresh(tenant, seller.pk)
    page = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/{tenant.slug}/partners/{seller.pk}/")
    html = page.content.decode()
    assert 'data-testid="live-figures"' in html
    assert "Figures updated" in html  # ("now", or "N seconds ago")
    assert "Revenue in the window" in html


@pytest.mark.parametrize("source", ["sale", "deal", "visit", "completion"])
def test_each_kind_of_change_asks_for_its_partners_refresh(
    tenant, seller, source, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        if source == "sale":
            SaleFactory(tenant=tenant, partner=seller)
        elif source == "deal":
            DealRegistrationFactory(tenant=tenant, partner=seller)
        elif source == "visit":
            VisitFactory(tenant=tenant, partner=seller)
        else:
            CompletionFactory(tenant=tenant, partner=seller, course=CourseFactory(tenant=tenant))
    assert [(t, p) for t, p, _countdown in sent] == [(tenant.pk, seller.pk)]


def test_changes_within_the_debounce_ride_on_one_refresh(
    tenant, seller, sent, settings, django_capture_on_commit_callbacks
):
    settings.PRM_LIVE_DEBOUNCE_SECONDS = 7
    with django_capture_on_commit_callbacks(execute=True):
        SaleFactory(tenant=tenant, partner=seller)
    with django_capture_on_commit_callbacks(execute=True):
        SaleFactory(tenant=tenant, partner=seller)
        VisitFactory(tenant=tenant, partner=seller)
    assert sent == [(tenant.pk, seller.pk, 7)]

    with tenant_context(tenant):
        live.refresh(tenant, seller.pk)  # the refresh ran: the next change asks for the next one
    with django_capture_on_commit_callbacks(execute=True):
        SaleFactory(tenant=tenant, partner=seller)
    assert len(sent) == 2


def test_nothing_is_sent_before_the_transaction_commits(
    tenant, seller, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        SaleFactory(tenant=tenant, partner=seller)
    assert sent == [] and len(callbacks) == 1


def test_an_import_of_more_partners_than_the_limit_leaves_them_to_the_nightly(
    tenant, sent, settings, django_capture_on_commit_callbacks
):
    settings.PRM_LIVE_MOST_PARTNERS = 2
    partners = [PartnerFactory(tenant=tenant, stage="signed") for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        live.touch(tenant.pk, [p.pk for p in partners[:2]])
        live.touch(tenant.pk, [p.pk for p in partners])
    assert sorted(p for _t, p, _c in sent) == sorted(p.pk for p in partners[:2])


def test_after_a_refresh_the_nightly_recompute_finds_the_same_tier_inputs(tenant):
    """The two measure alike: the recompute writes, for the refreshed partner, what the refresh wrote."""
    seller = PartnerFactory(tenant=tenant, stage="signed")
    other = PartnerFactory(tenant=tenant, stage="signed")
    today = timezone.localdate()
    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)
    SaleFactory(tenant=tenant, partner=seller, amount=D("2500.00"), date=today)
    SaleFactory(
        tenant=tenant, partner=seller, amount=D("99.00"), currency="USD", date=today - timedelta(days=3)
    )
    SaleFactory(tenant=tenant, partner=other, amount=D("10.00"))
    for status in ("won", "lost", "submitted"):
        DealRegistrationFactory(tenant=tenant, partner=seller, status=status)
    VisitFactory(tenant=tenant, partner=seller, goal_met=True)
    with tenant_context(tenant):
        live.refresh(tenant, seller.pk)
    refreshed = stored(seller).tier_inputs
    assert refreshed["revenue"] >= 2500 and refreshed["registrations"] == 3 and refreshed["won"] == 1
    assert refreshed["visits"] == 1 and refreshed["visits_goal_met"] == 1
    assert stored(other).tier_inputs.get("revenue", 0) == 0  # not refreshed: only the partner changed

    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)
    assert stored(seller).tier_inputs == refreshed


def test_a_refresh_brings_the_current_quarters_card_to_what_the_next_compute_finds(tenant):
    seller = PartnerFactory(tenant=tenant, stage="signed", region="North", computed_tier="B")
    PartnerFactory(tenant=tenant, stage="signed", region="North", computed_tier="B")
    quarter = period_containing(timezone.localdate()).code
    with tenant_context(tenant):
        scorecards_compute(tenant=tenant, period=quarter)
    before = Scorecard.objects.for_tenant(tenant).get(partner=seller, period=quarter)
    SaleFactory(tenant=tenant, partner=seller, amount=D("40000.00"))
    with tenant_context(tenant):
        live.refresh(tenant, seller.pk)
    after = Scorecard.objects.for_tenant(tenant).get(partner=seller, period=quarter)
    assert after.pk == before.pk and after.digest != before.digest  # the sale is on the card
    revisions = ScorecardRevision.objects.for_tenant(tenant).count()

    with tenant_context(tenant):
        scorecards_compute(tenant=tenant, period=quarter)
    again = Scorecard.objects.for_tenant(tenant).get(partner=seller, period=quarter)
    assert again.digest == after.digest and again.score == after.score
    assert ScorecardRevision.objects.for_tenant(tenant).count() == revisions  # nothing changed


def test_a_quarter_nobody_computed_gets_no_card_from_a_refresh(tenant, seller):
    SaleFactory(tenant=tenant, partner=seller)
    with tenant_context(tenant):
        live.refresh(tenant, seller.pk)
    assert not Scorecard.objects.for_tenant(tenant).exists()
    assert stored(seller).figures_at is not None


def test_a_partner_user_reads_its_own_figures_and_not_anothers(tenant, seller, partner_user, api):
    other = PartnerFactory(tenant=tenant, stage="signed")
    client = api(partner_user(tenant, seller))
    assert client.get(f"/api/v1/tenants/{tenant.slug}/partners/{seller.pk}/figures/").status_code == 200
    assert client.get(f"/api/v1/tenants/{tenant.slug}/partners/{other.pk}/figures/").status_code == 404
