"""Visits with their objections, the objection playbook and report, and assessments."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from partners.lifecycle.assessments import assessment_record
from partners.lifecycle.criteria import SELECTION
from partners.lifecycle.visits import playbook_for, playbook_set, visit_log
from partners.models import Assessment, Objection, Visit
from partners.selectors import objection_report
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from tests.factories import ObjectionFactory, ObjectionResponseFactory, PartnerFactory, VisitFactory

pytestmark = pytest.mark.django_db

OBJECTION_TYPES = {"demand", "financial", "price", "product", "brand", "service"}


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def partner(tenant):
    return PartnerFactory(tenant=tenant, region="North")


# --- visits ----------------------------------------------------------------------------------


def test_a_visit_is_logged_with_its_objections(tenant, manager, partner):
    # when
    visit = visit_log(
        partner=partner,
        actor=manager,
        date=date(2026, 5, 4),
        summary="Met the owner and the sales lead",
        goal_met=True,
        make_target=True,
        objections=[
            {"type": "price", "note": "Margin too thin"},
            {"type": "brand", "note": "Customers don't know you"},
            {"type": "price"},
        ],
    )

    # then
    visit = Visit.objects.for_tenant(tenant).get(pk=visit.pk)
    assert visit.partner == partner and visit.logged_by == manager
    assert visit.goal_met is True and visit.make_target is True
    objections = Objection.objects.for_tenant(tenant).filter(visit=visit).order_by("id")
    assert [(o.type, o.note) for o in objections] == [
        ("price", "Margin too thin"),
        ("brand", "Customers don't know you"),
        ("price", ""),
    ]


def test_an_unknown_objection_type_writes_nothing(tenant, manager, partner):
    # when
    with pytest.raises(ValidationError) as error:
        visit_log(
            partner=partner,
            actor=manager,
            date=date(2026, 5, 4),
            summary="Call",
            objections=[{"type": "price"}, {"type": "weather"}],
        )

    # then: the error names the field, and the visit saved before the check was rolled back
    assert list(error.value.message_dict) == ["objections"]
    assert "weather" in error.value.message_dict["objections"][0]
    assert not Visit.objects.for_tenant(tenant).exists()
    assert not Objection.objects.for_tenant(tenant).exists()


def test_a_visit_needs_a_summary_and_a_known_kind(tenant, manager, partner):
    with pytest.raises(ValidationError) as error:
        visit_log(partner=partner, actor=manager, date=date(2026, 5, 4), summary="", kind="lunch")

    assert {"summary", "kind"} <= set(error.value.message_dict)
    assert not Visit.objects.for_tenant(tenant).exists()


# --- the playbook ----------------------------------------------------------------------------


def test_a_new_tenant_gets_the_default_response_for_all_six_types(tenant):
    # when
    playbook = playbook_for(tenant)

    # then
    assert set(playbook) == OBJECTION_TYPES
    assert all(playbook.values())
    assert "trial deal" in playbook["demand"]
    assert "reference cases" in playbook["brand"]
    assert "local office" in playbook["service"]


def test_the_tenants_own_response_replaces_the_default(tenant, other_tenant, manager):
    # given
    default_price = playbook_for(tenant)["price"]

    # when
    playbook_set(
        tenant=tenant, actor=manager, type="price", response="Walk through the total cost of ownership."
    )

    # then
    playbook = playbook_for(tenant)
    assert playbook["price"] == "Walk through the total cost of ownership."
    assert playbook["brand"] == playbook_for(other_tenant)["brand"]  # the rest stay the default
    assert playbook_for(other_tenant)["price"] == default_price  # other tenants are untouched
    assert AuditEntry.objects.for_tenant(tenant).filter(action="playbook.changed").count() == 1


def test_setting_a_response_again_replaces_it(tenant, manager):
    playbook_set(tenant=tenant, actor=manager, type="service", response="First version")
    playbook_set(tenant=tenant, actor=manager, type="service", response="Second version")

    assert playbook_for(tenant)["service"] == "Second version"


def test_another_tenants_response_is_not_ours(tenant, other_tenant):
    ObjectionResponseFactory(tenant=other_tenant, type="brand", response="Theirs")

    assert playbook_for(tenant)["brand"] != "Theirs"


def test_an_unknown_type_cannot_be_given_a_response(tenant, manager):
    with pytest.raises(ValidationError) as error:
        playbook_set(tenant=tenant, actor=manager, type="weather", response="Bring an umbrella")

    assert "type" in error.value.message_dict


# --- the objection report ---------------------------------------------------------------------


def test_objections_are_counted_by_type_and_region(tenant, other_tenant):
    # given
    north = VisitFactory(tenant=tenant, partner=PartnerFactory(tenant=tenant, region="North"))
    south = VisitFactory(tenant=tenant, partner=PartnerFactory(tenant=tenant, region="South"))
    for visit, kind in [(north, "price"), (north, "price"), (north, "brand"), (south, "price")]:
        ObjectionFactory(tenant=tenant, visit=visit, type=kind)
    ObjectionFactory(tenant=other_tenant, type="price")

    # when
    report = objection_report(tenant=tenant)

    # then
    assert [(r["type"], r["visit__partner__region"], r["count"]) for r in report] == [
        ("brand", "North", 1),
        ("price", "North", 2),
        ("price", "South", 1),
    ]


def test_the_objection_report_can_start_at_a_date(tenant, partner):
    # given
    today = date(2026, 6, 1)
    old = VisitFactory(tenant=tenant, partner=partner, date=today - timedelta(days=60))
    recent = VisitFactory(tenant=tenant, partner=partner, date=today)
    ObjectionFactory(tenant=tenant, visit=old, type="financial")
    ObjectionFactory(tenant=tenant, visit=recent, type="demand")

    # when
    report = objection_report(tenant=tenant, since=today - timedelta(days=30))

    # then
    assert [(r["type"], r["count"]) for r in report] == [("demand", 1)]


# --- assessments -------------------------------------------------------------------------------


def selection_ratings(**overrides):
    ratings = {key: 4 for key in SELECTION}
    ratings.update(overrides)
    return ratings


def test_a_selection_assessment_stores_every_rating_and_the_average(tenant, manager, partner):
    # given: 5 + 4 + 4 + 3 + 2 = 18 over 5 criteria
    ratings = {
        "business_direction": 5,
        "customer_base": {"score": 4, "note": "Fits automotive"},
        "integrity": 4,
        "financial_strength": 3,
        "other_lines": 2,
    }

    # when
    assessment = assessment_record(
        partner=partner, actor=manager, kind="selection", ratings=ratings, needs=["margin", "good_service"]
    )

    # then
    assessment = Assessment.objects.for_tenant(tenant).get(pk=assessment.pk)
    assert assessment.ratings["business_direction"] == {"score": 5, "note": ""}
    assert assessment.ratings["customer_base"] == {"score": 4, "note": "Fits automotive"}
    assert set(assessment.ratings) == set(SELECTION)
    assert assessment.average == 3.6
    assert assessment.needs == ["margin", "good_service"]
    assert assessment.assessed_by == manager


def test_recording_an_assessment_is_audited(tenant, manager, partner):
    # when
    assessment_record(
        partner=partner, actor=manager, kind="selection", ratings=selection_ratings(other_lines=2)
    )

    # then: (4 * 4 + 2) / 5
    entry = AuditEntry.objects.for_tenant(tenant).get(action="assessment.selection")
    assert entry.changes == {"average": [None, 3.6]}
    assert entry.target_id == str(partner.pk) and entry.actor == manager


@pytest.mark.parametrize(
    ("ratings", "key"),
    [
        (selection_ratings(integrity=None), "ratings.integrity"),  # not rated
        ({k: v for k, v in selection_ratings().items() if k != "integrity"}, "ratings.integrity"),  # missing
        (selection_ratings(integrity=0), "ratings.integrity"),
        (selection_ratings(integrity=6), "ratings.integrity"),
        (selection_ratings(integrity="good"), "ratings.integrity"),
        (selection_ratings(integrity={"score": 9, "note": "Too kind"}), "ratings.integrity"),
        (selection_ratings(charisma=5), "ratings.charisma"),  # not a criterion of selection
    ],
    ids=["none", "missing", "zero", "six", "text", "dict-out-of-range", "unknown"],
)
def test_every_criterion_must_be_rated_1_to_5(tenant, manager, partner, ratings, key):
    # when
    with pytest.raises(ValidationError) as error:
        assessment_record(partner=partner, actor=manager, kind="selection", ratings=ratings)

    # then
    assert list(error.value.message_dict) == [key]
    assert not Assessment.objects.for_tenant(tenant).exists()
    assert not AuditEntry.objects.for_tenant(tenant).exists()


def test_every_bad_rating_is_reported_at_once(tenant, manager, partner):
    ratings = selection_ratings(integrity=7, customer_base=0, charisma=3)
    del ratings["other_lines"]

    with pytest.raises(ValidationError) as error:
        assessment_record(partner=partner, actor=manager, kind="selection", ratings=ratings)

    assert set(error.value.message_dict) == {
        "ratings.integrity",
        "ratings.customer_base",
        "ratings.charisma",
        "ratings.other_lines",
    }


def test_a_strategic_review_rates_four_aspects_and_nine_strengths(tenant, manager, partner):
    # given: only the four rated aspects (the operating model is a type on the partner, not a rating)
    aspects = {k: 3 for k in ("strength", "management", "reputation", "needs")}

    # when
    with pytest.raises(ValidationError) as error:
        assessment_record(partner=partner, actor=manager, kind="strategic", ratings=aspects)

    # then: each of the nine strengths is missing
    assert len(error.value.message_dict) == 9
    assert "ratings.drive" in error.value.message_dict


def test_an_unknown_need_or_kind_is_refused(tenant, manager, partner):
    with pytest.raises(ValidationError) as error:
        assessment_record(
            partner=partner, actor=manager, kind="selection", ratings=selection_ratings(), needs=["yacht"]
        )
    assert "needs" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        assessment_record(partner=partner, actor=manager, kind="horoscope", ratings={})
    assert "kind" in error.value.message_dict
    assert not Assessment.objects.for_tenant(tenant).exists()


def test_a_visit_that_makes_it_a_target_puts_the_partner_on_the_managers_target_list(
    tenant, manager, partner, api, web
):
    # given: another prospect that was only visited
    other = PartnerFactory(tenant=tenant, name="Baltic Motion")
    visit_log(partner=other, actor=manager, date=date.today(), summary="Coffee")

    # when
    visit_log(partner=partner, actor=manager, date=date.today(), summary="Promising", make_target=True)

    # then: the list managers work from, on the page and in the API
    partner.refresh_from_db()
    assert partner.on_target_list
    assert (
        AuditEntry.objects.for_tenant(tenant)
        .filter(action="partner.updated", target_id=str(partner.pk))
        .exists()
    )
    listed = api(manager).get(f"/api/v1/tenants/{tenant.slug}/partners/?on_target_list=true").json()
    assert [p["name"] for p in listed["results"]] == [partner.name]
    page = web(manager).get(f"/t/{tenant.slug}/partners/", {"on_target_list": "true"})
    assert [p.name for p in page.context["partners"]] == [partner.name]
    assert (
        'data-testid="target-list"'
        in web(manager).get(f"/t/{tenant.slug}/partners/{partner.pk}/").content.decode()
    )


def test_a_manager_takes_a_partner_off_the_target_list(tenant, manager, partner, api):
    visit_log(partner=partner, actor=manager, date=date.today(), summary="Promising", make_target=True)

    response = api(manager).patch(
        f"/api/v1/tenants/{tenant.slug}/partners/{partner.pk}/", {"on_target_list": False}, format="json"
    )

    assert response.status_code == 200 and response.json()["on_target_list"] is False
