"""Computing a period again keeps each scorecard's identity: the same id, so links sent to partners
still resolve and an approved run's score bonus still points at the card it paid on; the figures it
paid on stay readable as the card's history (page and API); a card no longer produced is kept."""

from decimal import Decimal as D

import jsonschema
import pytest

from incentives.models import PayoutLine
from incentives.services.runs import payout_run_approve, payout_run_compute
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import ManualValue, Scorecard
from tests.factories import IncentiveRuleFactory
from tests.incentives.test_lines_schema import as_json_schema
from tests.scorecards.test_compute import PERIOD, compute, scoring, single_kpi  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def cards_of(tenant) -> dict[int, int]:
    """The period's scorecard id of each partner."""
    return dict(Scorecard.objects.for_tenant(tenant).filter(period=PERIOD).values_list("partner_id", "id"))


def approved_run(tenant, finance):
    with tenant_context(tenant):
        run = payout_run_compute(tenant=tenant, period=PERIOD)
        return payout_run_approve(run=run, actor=finance)


@pytest.fixture
def kpi(single_kpi):  # noqa: F811 (the fixture imported above)
    """The one KPI that counts, a manual one with a target of 100: the score is the value entered."""
    return single_kpi


@pytest.fixture
def score_bonus(tenant):
    return IncentiveRuleFactory(
        tenant=tenant,
        kind="bonus",
        name="Score bonus",
        params={"type": "score", "amount": "500", "threshold": "50"},
    )


def test_a_recompute_keeps_the_ids_the_links_and_what_an_approved_run_paid_on(
    tenant, kpi, score_bonus, member, partner_user, api, web
):
    # given: a partner scoring 80 paid a bonus from 50 in an approved run, and sent its card's links
    paid = scoring(tenant, kpi, "80")
    scoring(tenant, kpi, "20")
    compute(tenant)
    ids = cards_of(tenant)
    first = Scorecard.objects.for_tenant(tenant).get(partner=paid, period=PERIOD)
    run = approved_run(tenant, member(tenant, Role.FINANCE))
    line = PayoutLine.objects.for_tenant(tenant).get(run=run, kind="bonus")
    page, link = (
        f"/t/{tenant.slug}/scorecards/{first.pk}/",
        f"/api/v1/tenants/{tenant.slug}/scorecards/{first.pk}/",
    )

    # when: its value drops below the threshold and the period is computed again
    ManualValue.objects.for_tenant(tenant).filter(partner=paid).update(value=D("45"))
    compute(tenant)

    # then: every card has the id it had
    assert cards_of(tenant) == ids
    # the links the partner got still resolve, to the card as it is now
    partner = partner_user(tenant, partner=paid)
    now = api(partner).get(link)
    assert now.status_code == 200
    assert (now.json()["id"], now.json()["score"], now.json()["revision"]) == (first.pk, "45.00", 2)
    html = web(partner).get(page).content.decode()
    assert 'data-testid="scorecard-history"' in html and 'id="revision-1"' in html
    # the approved line still names the card, the revision and the score it paid on ...
    stored = PayoutLine.objects.for_tenant(tenant).get(pk=line.pk)
    assert (stored.amount, stored.source) == (
        D("500.00"),
        {"scorecard": first.pk, "revision": first.revision, "score": str(first.score)},
    )
    assert str(first.score) in stored.explanation
    # ... and that revision reads as it was, lines and all
    history = api(partner).get(f"{link}history/").json()
    paid_on = next(r for r in history if r["revision"] == stored.source["revision"])
    assert paid_on["score"] == stored.source["score"] == "80.00"
    assert [(k["code"], k["actual"]) for k in paid_on["kpis"]] == [("score", "80.00")]


def test_the_history_answers_as_the_openapi_document_says(tenant, kpi, member, api, client):
    # given: a card computed, changed and computed again
    partner = scoring(tenant, kpi, "80")
    compute(tenant)
    ManualValue.objects.for_tenant(tenant).filter(partner=partner).update(value=D("60"))
    compute(tenant)
    card = Scorecard.objects.for_tenant(tenant).get(partner=partner)
    document = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    # when
    answer = api(member(tenant)).get(f"/api/v1/tenants/{tenant.slug}/scorecards/{card.pk}/history/")

    # then
    assert answer.status_code == 200 and [r["revision"] for r in answer.json()] == [1]
    assert "/api/v1/tenants/{tenant}/scorecards/{id}/history/" in document["paths"]
    schema = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/ScorecardRevision"},
        "components": as_json_schema(document["components"]),
    }
    jsonschema.validate(answer.json(), schema)


def test_a_partner_reads_only_its_own_cards_history(tenant, kpi, partner_user, api):
    # given
    mine, theirs = scoring(tenant, kpi, "80"), scoring(tenant, kpi, "70")
    compute(tenant)
    their_card = cards_of(tenant)[theirs.pk]

    # when / then
    client = api(partner_user(tenant, partner=mine))
    assert client.get(f"/api/v1/tenants/{tenant.slug}/scorecards/{their_card}/history/").status_code == 404
    assert (
        client.get(f"/api/v1/tenants/{tenant.slug}/scorecards/{cards_of(tenant)[mine.pk]}/history/").json()
        == []
    )


def test_a_withdrawn_cards_links_still_resolve_and_say_so_while_lists_leave_it_out(
    tenant, kpi, member, partner_user, api, web
):
    # given: a partner's card, then the partner is no longer scored and the period is computed again
    partner = scoring(tenant, kpi, "80")
    scoring(tenant, kpi, "20")
    compute(tenant)
    card = cards_of(tenant)[partner.pk]
    type(partner).objects.for_tenant(tenant).filter(pk=partner.pk).update(stage="dormant")

    # when
    compute(tenant)

    # then: its page and API detail answer, marked withdrawn; the lists and its partner's latest do not show it
    manager, own = api(member(tenant)), partner_user(tenant, partner=partner)
    detail = manager.get(f"/api/v1/tenants/{tenant.slug}/scorecards/{card}/").json()
    assert (detail["id"], detail["score"], detail["withdrawn_at"] is not None) == (card, "80.00", True)
    assert (
        'data-testid="scorecard-withdrawn"'
        in web(own).get(f"/t/{tenant.slug}/scorecards/{card}/").content.decode()
    )
    listed = manager.get(f"/api/v1/tenants/{tenant.slug}/scorecards/?period={PERIOD}").json()["results"]
    assert card not in [row["id"] for row in listed] and len(listed) == 1
    assert api(own).get(f"/api/v1/tenants/{tenant.slug}/partners/{partner.pk}/scorecard/").status_code == 404


def test_a_card_stored_before_digests_were_kept_is_updated_in_place_without_a_false_revision(tenant, kpi):
    # given: a period computed, its cards' digests blank as a database upgraded to revisions has them
    partner = scoring(tenant, kpi, "80")
    compute(tenant)
    Scorecard.objects.for_tenant(tenant).filter(period=PERIOD).update(digest="")
    card = Scorecard.objects.for_tenant(tenant).get(partner=partner, period=PERIOD)
    with tenant_context(tenant):
        lines = card.lines.count()

    # when the period is computed again with nothing changed
    compute(tenant)

    # then: the same card, no revision of figures that never changed, its lines once
    again = Scorecard.objects.for_tenant(tenant).get(partner=partner, period=PERIOD)
    with tenant_context(tenant):
        assert (again.pk, again.revision, again.revisions.count(), again.lines.count()) == (
            card.pk,
            1,
            0,
            lines,
        )
    assert lines and again.digest != ""
