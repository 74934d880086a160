"""The seeded demo tells one story: nothing happens to a partner before it exists, what was computed is
what a fresh computation gives, health is said only once computed, and a scorecard compares a
partner with enough others (its cohort widened where its tier and region are too few).

The demo is seeded once for the module, in a transaction rolled back at its end.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.test import override_settings
from django.utils import timezone

from incentives import run_warnings
from incentives.models import PayoutRun
from partners.choices import Stage
from partners.models import Partner, StageChange, Visit
from partners.views.timeline import timeline_key
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.demo import TENANTS
from prm.tenancy.models import Membership, Tenant
from scorecards.cohorts import cohort_filter
from scorecards.demo import demo_quarters
from scorecards.models import Scorecard
from scorecards.services.compute import scorecards_compute

SLUGS = [spec.slug for spec in TENANTS]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = str(tmp_path_factory.mktemp("media"))
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, WEBHOOK_ALLOW_PRIVATE_NETWORKS=True),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    """The seeded demo; what a test changes is rolled back after it."""


def _partner_records():
    """Every model that belongs to a partner (a ``partner`` foreign key) and its date fields."""
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "partner"), None)
        if field is None or field.related_model is not Partner:
            continue
        dated = [
            f.name for f in model._meta.fields if isinstance(f, (models.DateField, models.DateTimeField))
        ]
        if dated:
            yield model, dated


def _before(value, born: datetime.datetime) -> bool:
    if isinstance(value, datetime.datetime):
        return value < born
    return value < timezone.localdate(born)


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_happens_to_a_demo_partner_before_it_was_created(demo, slug):
    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant):
        born = dict(Partner.objects.for_tenant(tenant).values_list("pk", "created_at"))
        early = []
        for model, fields in _partner_records():
            for row in model.objects.for_tenant(tenant).values("pk", "partner_id", *fields):
                for name in fields:
                    value = row[name]
                    if row["partner_id"] is None or value is None:  # (a lead nobody took yet)
                        continue
                    if _before(value, born[row["partner_id"]]):
                        early.append(f"{model.__name__}.{name} {value} (partner {row['partner_id']})")
        partners = Partner.objects.for_tenant(tenant).values("pk", "created_at", "stage_entered_at")
        early += [
            f"stage entered {p['stage_entered_at']}"
            for p in partners
            if p["stage_entered_at"] < p["created_at"]
        ]
    checked = sum(1 for _ in _partner_records())
    assert checked >= 8, "visits, stage changes, sales, deals, assessments, registrations… are all checked"
    assert not early, early[:10]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_demo_scorecards_are_what_a_fresh_recompute_gives(demo, slug):
    tenant = Tenant.objects.get(slug=slug)

    def cards(period):
        return {
            c["partner_id"]: c
            for c in Scorecard.objects.for_tenant(tenant)
            .filter(period=period)
            .values("partner_id", "score", "tier", "region", "rank", "cohort_size", "conversions")
        }

    with tenant_context(tenant):
        quarters = demo_quarters()
        seeded_cards = {q.code: cards(q.code) for q in quarters}
        for quarter in quarters:
            scorecards_compute(tenant=tenant, period=quarter)
        fresh = {q.code: cards(q.code) for q in quarters}

    assert all(seeded_cards.values()), "every demo quarter has its scorecards"
    assert seeded_cards == fresh


@pytest.mark.parametrize("slug", SLUGS)
def test_every_cohort_on_a_demo_scorecard_has_at_least_three_members(demo, slug):
    # a tier and region with fewer than three partners widens to the tier, then to the channel
    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant):
        cards = list(Scorecard.objects.for_tenant(tenant).current())
        members = {
            card.pk: Scorecard.objects.current().filter(**cohort_filter(card)).count() for card in cards
        }
    assert cards and min(card.cohort_size for card in cards) >= 3, {c.cohort_size for c in cards}
    assert all(card.cohort_size == members[card.pk] for card in cards)  # the size is its cohort's


@pytest.mark.parametrize("slug", SLUGS)
def test_every_demo_partner_has_its_health_computed(demo, slug):
    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant):
        missing = list(
            Partner.objects.for_tenant(tenant)
            .filter(health_computed_at__isnull=True)
            .exclude(stage=Stage.LOST)  # a lost partner is no longer watched
            .values_list("name", flat=True)
        )
    assert not missing


def test_a_demo_partner_whose_health_is_not_computed_shows_no_health_badge(demo, client):
    tenant = Tenant.objects.get(slug=SLUGS[0])
    with tenant_context(tenant):
        partner = Partner.objects.for_tenant(tenant).get(stage=Stage.LOST, health_computed_at__isnull=True)
        manager = Membership.objects.filter(tenant=tenant, role=Role.CHANNEL_MANAGER).first().user
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")

    html = client.get(f"/t/{tenant.slug}/partners/{partner.pk}/").content.decode()

    panel = html.split('data-testid="partner-health"', 1)[1].split("</section>", 1)[0]
    assert "Not computed yet." in panel and 'data-testid="health"' not in panel


def test_a_days_timeline_reads_in_the_order_things_happened(demo):
    tenant = Tenant.objects.get(slug=SLUGS[0])
    with tenant_context(tenant):
        partner = Partner.objects.for_tenant(tenant).order_by("name").first()
        day = timezone.localdate() - datetime.timedelta(days=1)
        morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        later = StageChange.objects.create(
            tenant=tenant,
            partner=partner,
            from_stage="a",
            to_stage="b",
            changed_at=morning + datetime.timedelta(hours=6),
        )
        earlier = StageChange.objects.create(
            tenant=tenant, partner=partner, from_stage="", to_stage="a", changed_at=morning
        )
        visit = Visit.objects.filter(partner=partner).first()
    events = [
        {"kind": "move", "date": day, "at": earlier.changed_at, "item": earlier},
        {"kind": "move", "date": day, "at": later.changed_at, "item": later},
        {"kind": "visit", "date": day - datetime.timedelta(days=1), "item": visit},
    ]

    newest_first = sorted(events, key=timeline_key, reverse=True)

    assert [e["item"] for e in newest_first] == [later, earlier, visit]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_demos_draft_run_flags_a_sale_below_the_minimum_price(demo, slug):
    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant):
        draft = PayoutRun.objects.for_tenant(tenant).get(status="draft")
        flagged = [g for g in run_warnings.groups(draft) if g["code"] == "below_minimum_price"]
    assert flagged and flagged[0]["count"] == 1, "the demo shows a sale below the minimum price in a run"
