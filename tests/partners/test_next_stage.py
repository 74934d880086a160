"""One function decides the next stage; the partner page shows what the next stage needs, with
links to where each thing is done, asks the regional lead for approval, and warns before a move back."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partners.choices import Stage
from partners.lifecycle.gates import is_backward, next_stage
from partners.lifecycle.moves import partner_request_approval
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import ContactFactory, PartnerFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.PROSPECTING, Stage.FIRST_TALKS),
        (Stage.FIRST_TALKS, Stage.SELECTION),
        (Stage.SELECTION, Stage.STRATEGIC),
        (Stage.STRATEGIC, Stage.SIGNED),
        (Stage.SIGNED, None),  # certified comes from training, never by hand
        (Stage.CERTIFIED, None),
        (Stage.LOST, Stage.PROSPECTING),
        (Stage.DORMANT, Stage.PROSPECTING),
    ],
)
def test_the_next_stage_is_never_one_a_person_cannot_move_to(stage, expected):
    assert next_stage(stage) == expected


def test_only_moves_down_the_pipeline_are_backward():
    assert is_backward(Stage.SIGNED, Stage.SELECTION)
    assert not is_backward(Stage.SELECTION, Stage.SIGNED)
    assert not is_backward(Stage.SIGNED, Stage.LOST)


def test_a_signed_partners_page_does_not_preselect_certified(tenant, member, web):
    # given
    partner = PartnerFactory(tenant=tenant, stage=Stage.SIGNED)

    # when
    page = web(member(tenant)).get(f"/t/alpha/partners/{partner.pk}/").content.decode()

    # then
    assert '<option value="certified" selected>' not in page
    assert '<option value="signed" selected>' in page


def test_the_board_and_the_partner_page_agree_on_the_next_stage(tenant, member, web):
    # given
    partner = PartnerFactory(tenant=tenant, stage=Stage.STRATEGIC)
    client = web(member(tenant))

    # when
    page = client.get(f"/t/alpha/partners/{partner.pk}/").content.decode()
    board = client.get("/t/alpha/pipeline/")

    # then
    assert '<option value="signed" selected>' in page
    strategic = next(c for c in board.context["columns"] if c["stage"] == Stage.STRATEGIC)
    assert strategic["next"] == Stage.SIGNED


def test_the_page_lists_what_the_next_stage_needs_with_links_to_the_fixes(tenant, member, web):
    # given: in first talks with a contact, no visit yet
    partner = PartnerFactory(tenant=tenant, stage=Stage.FIRST_TALKS)
    ContactFactory(tenant=tenant, partner=partner)

    # when
    page = web(member(tenant)).get(f"/t/alpha/partners/{partner.pk}/").content.decode()

    # then
    assert 'data-testid="gates"' in page and "Before moving on to Selection:" in page
    assert (
        f'<a href="/t/alpha/partners/{partner.pk}/visits/new/">Selection needs at least one logged visit.</a>'
        in page
    )


def test_strategic_needs_link_to_the_assessment_and_the_approval(tenant, member, web):
    # given
    partner = PartnerFactory(tenant=tenant, stage=Stage.SELECTION)
    VisitFactory(tenant=tenant, partner=partner)

    # when
    page = web(member(tenant)).get(f"/t/alpha/partners/{partner.pk}/").content.decode()

    # then
    assert f'href="/t/alpha/partners/{partner.pk}/assessments/selection/"' in page
    assert f'href="/t/alpha/partners/{partner.pk}/#approval"' in page
    assert 'data-testid="request-approval"' in page


def test_a_move_back_is_flagged_for_confirmation(tenant, member, web):
    partner = PartnerFactory(tenant=tenant, stage=Stage.STRATEGIC)

    page = web(member(tenant)).get(f"/t/alpha/partners/{partner.pk}/").content.decode()

    assert 'data-backward-stages="prospecting first_talks selection"' in page


# --- asking the regional lead ---------------------------------------------------------


@pytest.fixture
def candidate(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind Systems", stage=Stage.SELECTION, region="North")


def ask(partner, actor, note=""):
    with tenant_context(partner.tenant):
        return partner_request_approval(partner=partner, actor=actor, note=note)


def test_asking_for_approval_emails_the_regional_leads_and_is_audited(
    tenant, member, candidate, django_capture_on_commit_callbacks
):
    # given
    manager = member(tenant, Role.CHANNEL_MANAGER, username="maria")
    lead = member(tenant, Role.REGIONAL_LEAD)
    admin = member(tenant, Role.ADMIN)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        told = ask(candidate, manager, "Strong in automotive")

    # then
    assert told == 1
    (message,) = mail.outbox
    assert message.to == [lead.email] and admin.email not in message.to
    assert "Nordwind Systems" in message.subject
    assert "maria asks you to approve Nordwind Systems for signing." in message.body
    assert "Strong in automotive" in message.body
    entry = AuditEntry.objects.for_tenant(tenant).get(action="partner.approval_requested")
    assert (entry.actor, entry.target_id, entry.reason) == (
        manager,
        str(candidate.pk),
        "Strong in automotive",
    )


def test_without_a_regional_lead_the_admins_are_asked(
    tenant, member, candidate, django_capture_on_commit_callbacks
):
    admin = member(tenant, Role.ADMIN)

    with django_capture_on_commit_callbacks(execute=True):
        ask(candidate, member(tenant, Role.CHANNEL_MANAGER))

    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_asking_twice_in_a_day_or_for_the_wrong_stage_is_refused(tenant, member, candidate):
    manager = member(tenant, Role.CHANNEL_MANAGER)
    member(tenant, Role.REGIONAL_LEAD)
    ask(candidate, manager)

    with pytest.raises(ValidationError) as twice:
        ask(candidate, manager)
    assert "Approval was asked for on" in twice.value.messages[0]

    signed = PartnerFactory(tenant=tenant, stage=Stage.SIGNED)
    with pytest.raises(ValidationError) as wrong_stage:
        ask(signed, manager)
    assert wrong_stage.value.messages == [
        "A partner is approved for signing during first talks or selection."
    ]


def test_the_page_and_the_api_ask_for_approval(tenant, member, candidate, web, api, other_tenant):
    # given
    member(tenant, Role.REGIONAL_LEAD)
    manager = member(tenant, Role.CHANNEL_MANAGER)
    second = PartnerFactory(tenant=tenant, stage=Stage.FIRST_TALKS)
    stranger = PartnerFactory(tenant=other_tenant, stage=Stage.SELECTION)

    # when
    page = web(manager).post(
        f"/t/alpha/partners/{candidate.pk}/request-approval/", {"note": "Please"}, follow=True
    )
    through_api = api(manager).post(
        f"/api/v1/tenants/alpha/partners/{second.pk}/request-approval/", {}, format="json"
    )
    elsewhere = api(manager).post(
        f"/api/v1/tenants/alpha/partners/{stranger.pk}/request-approval/", {}, format="json"
    )
    finance = api(member(tenant, Role.FINANCE)).post(
        f"/api/v1/tenants/alpha/partners/{second.pk}/request-approval/", {}, format="json"
    )

    # then
    assert "Asked the regional lead for approval (1 told)." in page.content.decode()
    assert through_api.status_code == 202 and through_api.json() == {"told": 1}
    assert elsewhere.status_code == 404
    assert finance.status_code == 403
    assert AuditEntry.objects.for_tenant(tenant).filter(action="partner.approval_requested").count() == 2
