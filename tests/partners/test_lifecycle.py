"""The partner life cycle: creating prospects, gated forward moves, notes, time boxes, history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.lifecycle.criteria import CRITERIA
from partners.lifecycle.moves import (
    partner_approve_for_signing,
    partner_create,
    partner_transition,
    partner_update,
    relationship_set,
)
from partners.models import Contact, Partner, RelationshipChange, StageChange
from partners.programme.settings import programme_save
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import AgreementFactory, AssessmentFactory, ContactFactory, PartnerFactory, VisitFactory

pytestmark = pytest.mark.django_db

CONTACT = "First talks need at least one contact person."
VISIT = "Selection needs at least one logged visit."
SELECTION_ASSESSMENT = "Strategic needs a selection assessment."
LEAD_APPROVAL = "Strategic needs the regional lead's approval."
STRATEGIC_REVIEW = "Signed needs a strategic review."
BY_TRAINING = "Certified is reached by completing the required training, not by hand."


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def lead(tenant, member):
    return member(tenant, Role.REGIONAL_LEAD)


def move(partner, to, actor, **kwargs):
    """partner_transition inside the partner's tenant scope (its gates read related rows)."""
    with tenant_context(partner.tenant):
        return partner_transition(partner=partner, to=to, actor=actor, **kwargs)


def refusal(partner, to, actor, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        move(partner, to, actor, **kwargs)
    return error.value.message_dict


def stored(partner) -> Partner:
    return Partner.objects.for_tenant(partner.tenant).get(pk=partner.pk)


def created_days_ago(days, **kwargs) -> Partner:
    """partner_create as if it had run ``days`` days ago."""
    then = timezone.now() - timedelta(days=days)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: then)
        return partner_create(**kwargs)


# --- creating a prospect ----------------------------------------------------


def test_a_new_partner_starts_prospecting_due_within_a_week(tenant, manager):
    # when
    partner = partner_create(tenant=tenant, actor=manager, name="Nordic Automation", region="North")

    # then
    partner = stored(partner)
    assert partner.stage == "prospecting"
    assert partner.stage_due_at - partner.stage_entered_at == timedelta(days=7)
    assert partner.overdue is False


def test_creating_a_partner_records_the_first_stage_change_and_an_audit_entry(tenant, manager):
    # when
    partner = partner_create(
        tenant=tenant, actor=manager, name="Nordic Automation", contacts=[{"name": "Ingrid Berg"}]
    )

    # then
    change = StageChange.objects.for_tenant(tenant).get(partner=partner)
    assert (change.from_stage, change.to_stage) == ("", "prospecting")
    assert change.changed_by == manager
    entry = AuditEntry.objects.for_tenant(tenant).get(action="partner.created")
    assert entry.target_id == str(partner.pk) and entry.actor == manager
    assert [c.name for c in Contact.objects.for_tenant(tenant).filter(partner=partner)] == ["Ingrid Berg"]


def test_a_tenants_time_box_overrides_the_default(tenant, manager):
    # given
    tenant.programme_settings = {"partners": {"time_boxes": {"prospecting": 3}}}
    tenant.save()

    # when
    partner = partner_create(tenant=tenant, actor=manager, name="Quick Sourcing")

    # then
    assert partner.stage_due_at - partner.stage_entered_at == timedelta(days=3)


def test_a_partner_past_its_due_date_is_overdue(tenant, manager):
    # given: two prospects with the one-week time box, created 8 and 6 days ago
    late = created_days_ago(8, tenant=tenant, actor=manager, name="Late")
    on_time = created_days_ago(6, tenant=tenant, actor=manager, name="On time")

    # then
    assert stored(late).overdue is True
    assert stored(on_time).overdue is False


def test_a_stage_without_a_time_box_is_never_overdue(tenant):
    partner = PartnerFactory(tenant=tenant, stage="strategic", stage_due_at=None)

    assert partner.overdue is False


# --- gates -------------------------------------------------------------------


def test_a_refused_forward_move_lists_every_unmet_gate_at_once(tenant, manager):
    # given: a bare prospect
    partner = PartnerFactory(tenant=tenant)

    # when
    errors = refusal(partner, "strategic", manager)

    # then: the gates of first talks, selection and strategic, in that order
    assert errors["to"] == [CONTACT, VISIT, SELECTION_ASSESSMENT, LEAD_APPROVAL]
    assert stored(partner).stage == "prospecting"
    assert not StageChange.objects.for_tenant(tenant).filter(partner=partner).exists()


def test_first_talks_need_a_contact(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant)

    # then: refused without a contact
    assert refusal(partner, "first_talks", manager)["to"] == [CONTACT]

    # when: a contact is added
    ContactFactory(tenant=tenant, partner=partner)
    move(partner, "first_talks", manager)

    # then
    assert stored(partner).stage == "first_talks"


def test_another_tenants_contact_does_not_open_the_gate(tenant, other_tenant, manager):
    # given: a row pointing at our partner but owned by the other tenant
    partner = PartnerFactory(tenant=tenant)
    ContactFactory(tenant=other_tenant, partner=partner)

    # then
    assert refusal(partner, "first_talks", manager)["to"] == [CONTACT]


def test_selection_needs_a_logged_visit(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant, stage="first_talks")

    # then
    assert refusal(partner, "selection", manager)["to"] == [VISIT]

    # when
    VisitFactory(tenant=tenant, partner=partner)
    move(partner, "selection", manager)

    # then
    assert stored(partner).stage == "selection"


@pytest.mark.parametrize(
    ("has_assessment", "has_approval", "missing"),
    [
        (False, False, [SELECTION_ASSESSMENT, LEAD_APPROVAL]),
        (True, False, [LEAD_APPROVAL]),
        (False, True, [SELECTION_ASSESSMENT]),
    ],
)
def test_strategic_needs_a_selection_assessment_and_the_leads_approval(
    tenant, manager, lead, has_assessment, has_approval, missing
):
    # given
    partner = PartnerFactory(tenant=tenant, stage="selection")
    if has_assessment:
        AssessmentFactory(tenant=tenant, partner=partner, kind="selection")
    if has_approval:
        partner_approve_for_signing(partner=partner, actor=lead)

    # then
    assert refusal(partner, "strategic", manager)["to"] == missing


def test_strategic_opens_with_both_the_assessment_and_the_approval(tenant, manager, lead):
    # given
    partner = PartnerFactory(tenant=tenant, stage="selection")
    AssessmentFactory(tenant=tenant, partner=partner, kind="selection")
    partner_approve_for_signing(partner=partner, actor=lead, note="Good fit for the north")

    # when
    move(partner, "strategic", manager)

    # then
    partner = stored(partner)
    assert partner.stage == "strategic"
    assert partner.lead_approved_by == lead
    assert AuditEntry.objects.for_tenant(tenant).filter(action="partner.approved_for_signing").count() == 1


def rated(kind, **scores) -> dict:
    """Every criterion of the kind rated 4, except those given."""

    return {c: {"score": scores.get(c, 4), "note": ""} for c in CRITERIA[kind]}


def test_a_selection_assessment_rated_1_on_integrity_stops_the_partner(tenant, manager, lead):
    # given: approved, and assessed — but integrity 1 of 5 (everything else 4)
    partner = PartnerFactory(tenant=tenant, stage="selection")
    AssessmentFactory(
        tenant=tenant, partner=partner, kind="selection", ratings=rated("selection", integrity=1)
    )
    partner_approve_for_signing(partner=partner, actor=lead)

    # then
    assert refusal(partner, "strategic", manager)["to"] == [
        "The latest selection assessment falls short: Integrity (no bid-rigging or price dumping) rated 1, needs 3."
    ]


def test_a_later_assessment_that_meets_the_minimum_opens_the_gate(tenant, manager, lead):
    # given: first rated 2 on integrity, re-assessed a month later at 3

    partner = PartnerFactory(tenant=tenant, stage="selection")
    AssessmentFactory(
        tenant=tenant,
        partner=partner,
        kind="selection",
        date=date(2026, 9, 1),
        ratings=rated("selection", integrity=2),
    )
    AssessmentFactory(
        tenant=tenant,
        partner=partner,
        kind="selection",
        date=date(2026, 10, 1),
        ratings=rated("selection", integrity=3),
    )
    partner_approve_for_signing(partner=partner, actor=lead)

    # when
    move(partner, "strategic", manager)

    # then
    assert stored(partner).stage == "strategic"


def test_a_tenants_minimums_name_every_criterion_that_falls_short(tenant, manager, lead):
    # given: this tenant also wants 3 in customer base and 4 in financial strength

    programme_save(
        tenant=tenant,
        actor=manager,
        values={
            "gate_minimums": {"selection": {"customer_base": 3, "financial_strength": 4}},
        },
    )
    partner = PartnerFactory(tenant=tenant, stage="selection")
    AssessmentFactory(
        tenant=tenant,
        partner=partner,
        kind="selection",
        ratings=rated("selection", customer_base=2, financial_strength=3, integrity=5),
    )
    partner_approve_for_signing(partner=partner, actor=lead)

    # then: integrity keeps its default and passes; the other two are named
    (message,) = refusal(partner, "strategic", manager)["to"]
    assert "Customer base fits our target industries rated 2, needs 3" in message
    assert "Financial strength (pays at agreed milestones) rated 3, needs 4" in message
    assert "Integrity" not in message


def test_a_minimum_of_0_removes_the_hard_stop(tenant, manager, lead):

    programme_save(tenant=tenant, actor=manager, values={"gate_minimums": {"selection": {"integrity": 0}}})
    partner = PartnerFactory(tenant=tenant, stage="selection")
    AssessmentFactory(
        tenant=tenant, partner=partner, kind="selection", ratings=rated("selection", integrity=1)
    )
    partner_approve_for_signing(partner=partner, actor=lead)

    move(partner, "strategic", manager)

    assert stored(partner).stage == "strategic"


def test_a_strategic_review_below_the_tenants_minimum_stops_signing(tenant, manager):

    programme_save(tenant=tenant, actor=manager, values={"gate_minimums": {"strategic": {"rule_respect": 3}}})
    partner = PartnerFactory(tenant=tenant, stage="strategic")
    AssessmentFactory(
        tenant=tenant, partner=partner, kind="strategic", ratings=rated("strategic", rule_respect=2)
    )

    problems = refusal(partner, "signed", manager)["to"]

    assert "The latest strategic review falls short: Respect for the rules rated 2, needs 3." in problems


def test_a_bad_minimum_is_refused_naming_it(tenant, manager):

    with pytest.raises(ValidationError) as refused:
        programme_save(
            tenant=tenant, actor=manager, values={"gate_minimums": {"selection": {"integrity": 9}}}
        )

    assert "gate_minimums.selection.integrity" in refused.value.message_dict


def test_another_kind_of_assessment_does_not_count_as_a_selection_assessment(tenant, manager, lead):
    # given: a tier assessment only
    partner = PartnerFactory(tenant=tenant, stage="selection")
    AssessmentFactory(tenant=tenant, partner=partner, kind="tier")
    partner_approve_for_signing(partner=partner, actor=lead)

    # then
    assert refusal(partner, "strategic", manager)["to"] == [SELECTION_ASSESSMENT]


def test_a_partner_is_approved_for_signing_once(tenant, lead):
    partner = PartnerFactory(tenant=tenant, stage="selection")
    partner_approve_for_signing(partner=partner, actor=lead)

    with pytest.raises(ValidationError):
        partner_approve_for_signing(partner=partner, actor=lead)


AGREEMENT_ON_FILE = "Signed needs the signed cooperation agreement on file."


def test_signed_needs_a_strategic_review(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant, stage="strategic")
    AssessmentFactory(tenant=tenant, partner=partner, kind="selection")

    # then: a selection assessment is not a strategic review (onboarding adds the agreement gate too)
    assert refusal(partner, "signed", manager)["to"] == [STRATEGIC_REVIEW, AGREEMENT_ON_FILE]

    # when
    AssessmentFactory(tenant=tenant, partner=partner, kind="strategic")
    AgreementFactory(tenant=tenant, partner=partner)
    move(partner, "signed", manager)

    # then
    assert stored(partner).stage == "signed"


def test_certified_is_not_reached_by_hand(tenant, manager):
    partner = PartnerFactory(tenant=tenant, stage="signed")

    assert refusal(partner, "certified", manager)["to"] == [BY_TRAINING]
    assert stored(partner).stage == "signed"


def test_certified_is_reached_when_the_system_moves_the_partner(tenant):
    # given
    partner = PartnerFactory(tenant=tenant, stage="signed")

    # when: e.g. onboarding, on the required training's completion
    move(partner, "certified", None, automatic=True)

    # then
    assert stored(partner).stage == "certified"
    change = StageChange.objects.for_tenant(tenant).get(partner=partner)
    assert change.changed_by is None and change.to_stage == "certified"


def test_an_unknown_or_the_current_stage_is_refused(tenant, manager):
    partner = PartnerFactory(tenant=tenant, stage="first_talks")

    assert "to" in refusal(partner, "negotiating", manager)
    assert "to" in refusal(partner, "first_talks", manager, note="again")


# --- lost, dormant, reactivation, moving back ---------------------------------


@pytest.mark.parametrize("to", ["lost", "dormant"])
def test_dropping_a_partner_needs_a_note(tenant, manager, to):
    # given
    partner = PartnerFactory(tenant=tenant, stage="selection")

    # then
    assert "note" in refusal(partner, to, manager)
    assert "note" in refusal(partner, to, manager, note="   ")
    assert stored(partner).stage == "selection"


@pytest.mark.parametrize("to", ["lost", "dormant"])
def test_dropping_a_partner_stores_why(tenant, manager, to):
    # given: no gate applies to leaving the pipeline
    partner = PartnerFactory(tenant=tenant, stage="prospecting")

    # when
    move(partner, to, manager, note="Signed with a competitor")

    # then
    partner = stored(partner)
    assert partner.stage == to
    assert partner.inactive_reason == "Signed with a competitor"
    assert partner.stage_due_at is None


def test_reactivating_a_lost_partner_needs_a_note_and_clears_the_reason(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant, stage="lost", inactive_reason="No budget")

    # then
    assert "note" in refusal(partner, "prospecting", manager)

    # when
    move(partner, "prospecting", manager, note="New owner, new budget")

    # then
    partner = stored(partner)
    assert partner.stage == "prospecting"
    assert partner.inactive_reason == ""


@pytest.mark.parametrize("to", ["signed", "certified"])
def test_reactivation_cannot_skip_the_gates_of_the_stage_it_returns_to(tenant, manager, to):
    # given: a bare prospect that was dropped
    partner = PartnerFactory(tenant=tenant, stage="prospecting")
    move(partner, "lost", manager, note="Went quiet")

    # when / then: no contact, visit, assessments or approval, so it may not come back as signed
    with pytest.raises(ValidationError):
        move(partner, to, manager, note="They called back")
    assert stored(partner).stage == "lost"


def test_moving_back_needs_a_note_and_passes_no_gates(tenant, manager):
    # given: a partner in strategic with nothing recorded (gates are for forward moves only)
    partner = PartnerFactory(tenant=tenant, stage="strategic")

    # then
    assert "note" in refusal(partner, "first_talks", manager)

    # when
    move(partner, "first_talks", manager, note="Management changed; start over")

    # then
    assert stored(partner).stage == "first_talks"


# --- time boxes and history ---------------------------------------------------


@pytest.mark.parametrize(
    ("from_stage", "to", "days"),
    [("prospecting", "first_talks", 30), ("first_talks", "selection", 90)],
)
def test_entering_a_stage_sets_its_due_date_from_the_time_box(tenant, manager, from_stage, to, days):
    # given: every gate met
    partner = PartnerFactory(tenant=tenant, stage=from_stage)
    ContactFactory(tenant=tenant, partner=partner)
    VisitFactory(tenant=tenant, partner=partner)

    # when
    before = timezone.now()
    move(partner, to, manager)

    # then
    partner = stored(partner)
    assert partner.stage_entered_at >= before
    assert partner.stage_due_at - partner.stage_entered_at == timedelta(days=days)


def test_strategic_has_no_due_date(tenant, manager, lead):
    # given: a selection-stage partner with a due date, every gate met
    partner = PartnerFactory(tenant=tenant, stage="selection", stage_due_at=timezone.now())
    AssessmentFactory(tenant=tenant, partner=partner, kind="selection")
    partner_approve_for_signing(partner=partner, actor=lead)

    # when
    move(partner, "strategic", manager)

    # then
    assert stored(partner).stage_due_at is None


def test_a_tenants_time_box_applies_to_later_stages_too(tenant, manager):
    # given
    tenant.programme_settings = {"partners": {"time_boxes": {"first_talks": 14}}}
    tenant.save()
    partner = PartnerFactory(tenant=tenant)
    ContactFactory(tenant=tenant, partner=partner)

    # when
    move(partner, "first_talks", manager)

    # then
    partner = stored(partner)
    assert partner.stage_due_at - partner.stage_entered_at == timedelta(days=14)


def test_every_move_records_who_when_and_why(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant)
    ContactFactory(tenant=tenant, partner=partner)

    # when
    before = timezone.now()
    move(partner, "first_talks", manager, note="Met at the Hannover fair")
    move(partner, "dormant", manager, note="Owner on sabbatical")

    # then
    changes = list(StageChange.objects.for_tenant(tenant).filter(partner=partner).order_by("id"))
    assert [(c.from_stage, c.to_stage, c.note) for c in changes] == [
        ("prospecting", "first_talks", "Met at the Hannover fair"),
        ("first_talks", "dormant", "Owner on sabbatical"),
    ]
    assert all(c.changed_by == manager and c.changed_at >= before for c in changes)
    assert stored(partner).stage_entered_at == changes[-1].changed_at


def test_every_move_writes_an_audit_entry_with_before_and_after(tenant, manager):
    # given
    partner = PartnerFactory(tenant=tenant, stage="selection")

    # when
    move(partner, "lost", manager, note="Chose a competitor")

    # then
    entry = AuditEntry.objects.for_tenant(tenant).get(action="partner.stage_moved")
    assert entry.changes == {"stage": ["selection", "lost"]}
    assert entry.reason == "Chose a competitor"
    assert entry.actor == manager
    assert entry.target_id == str(partner.pk)


def test_a_refused_move_writes_no_audit_entry(tenant, manager):
    partner = PartnerFactory(tenant=tenant)

    refusal(partner, "selection", manager)

    assert not AuditEntry.objects.for_tenant(tenant).filter(action="partner.stage_moved").exists()


# --- the relationship deepens -----------------------------------------------------------


def test_the_relationship_deepens_over_time_with_its_history(tenant, manager, api, web):

    partner = PartnerFactory(tenant=tenant, referral_level="business")
    with tenant_context(tenant):
        relationship_set(partner=partner, actor=manager, level="friendship", note="Dinner after the fair")

    through_api = api(manager).post(
        f"/api/v1/tenants/alpha/partners/{partner.pk}/relationship/",
        {"level": "partnership", "note": "Joint tender"},
        format="json",
    )
    same = api(manager).post(
        f"/api/v1/tenants/alpha/partners/{partner.pk}/relationship/", {"level": "partnership"}, format="json"
    )
    history = api(manager).get(f"/api/v1/tenants/alpha/partners/{partner.pk}/history/").json()["results"]
    page = web(manager).get(f"/t/alpha/partners/{partner.pk}/").content.decode()

    assert through_api.status_code == 200 and through_api.json()["referral_level"] == "partnership"
    assert same.status_code == 400
    changes = RelationshipChange.objects.for_tenant(tenant).order_by("id")
    assert [(c.from_level, c.to_level, c.note) for c in changes] == [
        ("business", "friendship", "Dinner after the fair"),
        ("friendship", "partnership", "Joint tender"),
    ]
    assert [(e["type"], e["from"], e["to"]) for e in history if e["type"] == "relationship"] == [
        ("relationship", "friendship", "partnership"),
        ("relationship", "business", "friendship"),
    ]
    assert "Joint tender" in page and 'data-testid="relationship"' in page
    assert AuditEntry.objects.for_tenant(tenant).filter(action="partner.relationship_changed").count() == 2


def test_editing_the_partner_keeps_the_relationship_history_too(tenant, manager):

    partner = PartnerFactory(tenant=tenant)
    with tenant_context(tenant):
        partner_update(partner=partner, actor=manager, referral_level="friendship")

    assert list(RelationshipChange.objects.for_tenant(tenant).values_list("from_level", "to_level")) == [
        ("", "friendship")
    ]
