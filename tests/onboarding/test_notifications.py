"""E-mail notifications: stage moves to the partner's users, time-box reminders to owners, approved payouts."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from incentives.services.rules import rule_create
from incentives.services.runs import payout_run_approve, payout_run_compute
from partners.lifecycle.moves import partner_transition
from partners.tasks import time_box_reminders
from prm.notifications.models import NotificationPreference
from prm.notifications.registry import categories
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership
from tests.factories import ContactFactory, MembershipFactory, PartnerFactory, PartnerUserFactory, SaleFactory

pytestmark = pytest.mark.django_db


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- stage moves -------------------------------------------------------------------


@pytest.fixture
def nordwind(tenant):
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    ContactFactory(tenant=tenant, partner=partner)
    return partner


def move_to_first_talks(api, manager, partner, note="Met at the fair"):
    return api(manager).post(
        f"/api/v1/tenants/alpha/partners/{partner.pk}/transition/",
        {"to": "first_talks", "note": note},
        format="json",
    )


def test_a_stage_move_emails_the_partners_portal_users(
    api, tenant, member, nordwind, partner_user, django_capture_on_commit_callbacks
):
    # given
    manager = member(tenant, Role.CHANNEL_MANAGER)
    jo, li = partner_user(tenant, partner=nordwind), partner_user(tenant, partner=nordwind)
    stranger = partner_user(tenant)  # of another partner

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = move_to_first_talks(api, manager, nordwind)

    # then
    assert response.status_code == 200, response.json()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([jo.email, li.email])
    assert stranger.email not in message.to and manager.email not in message.to
    assert message.subject == "Nordwind Systems: now First talks"
    assert "Nordwind Systems is now in the stage: First talks." in message.body
    assert "Met at the fair" in message.body


def test_a_user_who_turned_stage_moves_off_is_not_emailed(
    api, web, tenant, member, nordwind, partner_user, django_capture_on_commit_callbacks
):
    # given: jo keeps every category but stage moves
    manager = member(tenant, Role.CHANNEL_MANAGER)
    jo, li = partner_user(tenant, partner=nordwind), partner_user(tenant, partner=nordwind)
    kept = [code for code in categories() if code != "stage_moves"]
    saved = web(jo).post("/t/alpha/notifications/", {"category": kept})
    assert saved.status_code == 302

    # when
    with django_capture_on_commit_callbacks(execute=True):
        move_to_first_talks(api, manager, nordwind)

    # then
    assert recipients() == [li.email]
    off = NotificationPreference.objects.for_tenant(tenant).filter(user=jo, enabled=False)
    assert list(off.values_list("category", flat=True)) == ["stage_moves"]


def test_the_preferences_page_shows_the_category_turned_off(web, tenant, nordwind, partner_user):
    # given
    client = web(partner_user(tenant, partner=nordwind))
    client.post("/t/alpha/notifications/", {"category": [c for c in categories() if c != "stage_moves"]})

    # when
    html = client.get("/t/alpha/notifications/").content.decode()

    # then
    assert '<input type="checkbox" name="category" value="stage_moves">' in html
    assert '<input type="checkbox" name="category" value="payouts" checked>' in html


def test_turning_stage_moves_back_on_emails_again(
    api, web, tenant, member, nordwind, partner_user, django_capture_on_commit_callbacks
):
    # given
    manager = member(tenant, Role.CHANNEL_MANAGER)
    jo = partner_user(tenant, partner=nordwind)
    client = web(jo)
    client.post("/t/alpha/notifications/", {"category": []})
    client.post("/t/alpha/notifications/", {"category": list(categories())})

    # when
    with django_capture_on_commit_callbacks(execute=True):
        move_to_first_talks(api, manager, nordwind)

    # then
    assert recipients() == [jo.email]


def test_the_preference_is_per_tenant(
    web, tenant, other_tenant, member, partner_user, django_capture_on_commit_callbacks
):
    # given: jo is a partner user in both tenants and turned stage moves off in beta only
    beta_partner = PartnerFactory(tenant=other_tenant)
    alpha_partner = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    ContactFactory(tenant=tenant, partner=alpha_partner)
    beta_user = partner_user(other_tenant, partner=beta_partner)
    PartnerUserFactory(
        tenant=tenant,
        partner=alpha_partner,
        membership=MembershipFactory(tenant=tenant, user=beta_user, role=Role.PARTNER),
    )
    web(beta_user).post("/t/beta/notifications/", {"category": []})
    manager = member(tenant, Role.CHANNEL_MANAGER)

    # when
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        partner_transition(partner=alpha_partner, to="first_talks", actor=manager)

    # then
    assert recipients() == [beta_user.email]


# --- time-box reminders ------------------------------------------------------------


def test_time_box_reminders_email_each_owner_once_listing_their_due_and_overdue_partners(
    tenant, other_tenant, member, django_capture_on_commit_callbacks
):
    # given
    now = timezone.now()
    ana, ben = member(tenant, Role.CHANNEL_MANAGER), member(tenant, Role.CHANNEL_MANAGER)
    carl = member(other_tenant, Role.CHANNEL_MANAGER)
    quiet = member(tenant, Role.CHANNEL_MANAGER)

    def partner(name, owner, days, tenant=tenant):
        return PartnerFactory(
            tenant=tenant,
            name=name,
            owner=owner,
            stage="first_talks",
            stage_due_at=now + datetime.timedelta(days=days),
        )

    partner("Soon Ltd", ana, 2)
    partner("Late GmbH", ana, -5)
    partner("Later SA", ana, 10)
    partner("Overdue Oy", ben, -1)
    partner("Far Away Inc", quiet, 4)
    partner("Beta Late", carl, -2, tenant=other_tenant)
    PartnerFactory(tenant=tenant, name="Ownerless", owner=None, stage_due_at=now - datetime.timedelta(days=1))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = time_box_reminders()

    # then
    assert result == {"totals": {"sent": 3}, "failed": []}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted([ana.email, ben.email, carl.email])
    assert all(len(message.to) == 1 for message in mail.outbox)
    to_ana = by_address[ana.email]
    assert to_ana.subject == "2 partners due or overdue in their stage"
    assert "Soon Ltd" in to_ana.body and "Late GmbH" in to_ana.body
    assert "Later SA" not in to_ana.body and "Overdue Oy" not in to_ana.body
    assert "overdue since" in to_ana.body.split("Late GmbH")[1].splitlines()[0]
    assert "Overdue Oy" in by_address[ben.email].body and "Soon Ltd" not in by_address[ben.email].body
    assert "Beta Late" in by_address[carl.email].body


def test_an_owner_who_turned_time_boxes_off_gets_no_reminder(
    tenant, member, django_capture_on_commit_callbacks
):
    # given
    ana = member(tenant, Role.CHANNEL_MANAGER)
    NotificationPreference.objects.for_tenant(tenant).create(
        tenant=tenant, user=ana, category="time_boxes", enabled=False
    )
    PartnerFactory(tenant=tenant, owner=ana, stage_due_at=timezone.now() - datetime.timedelta(days=1))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = time_box_reminders()

    # then
    assert result == {"totals": {"sent": 0}, "failed": []}
    assert mail.outbox == []


def test_an_owner_who_left_the_tenant_gets_no_reminder(tenant, member, django_capture_on_commit_callbacks):
    # given: ana's membership was deactivated; she still owns an overdue partner
    ana = member(tenant, Role.CHANNEL_MANAGER)
    Membership.objects.for_tenant(tenant).filter(user=ana).update(is_active=False)
    PartnerFactory(
        tenant=tenant, name="Late GmbH", owner=ana, stage_due_at=timezone.now() - datetime.timedelta(days=1)
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        time_box_reminders()

    # then
    assert mail.outbox == []


# --- approved payouts --------------------------------------------------------------


def test_approving_a_payout_run_emails_the_paid_partners_users(
    tenant, member, partner_user, django_capture_on_commit_callbacks
):
    # given: a 5% commission, a sale of Nordwind in Q3 and none of Baltic
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed", computed_tier="B")
    baltic = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="signed", computed_tier="B")
    paid_users = [partner_user(tenant, partner=nordwind), partner_user(tenant, partner=nordwind)]
    unpaid_user = partner_user(tenant, partner=baltic)
    manager = member(tenant, Role.CHANNEL_MANAGER)
    finance = member(tenant, Role.FINANCE)
    with tenant_context(tenant):
        rule_create(
            tenant=tenant, actor=manager, name="Base commission", kind="commission", params={"rate": "5"}
        )
    SaleFactory(tenant=tenant, partner=nordwind, amount=Decimal("2000.00"), date=datetime.date(2026, 8, 15))
    with tenant_context(tenant):
        run = payout_run_compute(tenant=tenant, period="2026-Q3")
    assert mail.outbox == []

    # when
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        payout_run_approve(run=run, actor=finance, acknowledge_warnings=True)

    # then
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(u.email for u in paid_users)
    assert unpaid_user.email not in message.to
    assert message.subject == "Payout approved: 2026-Q3"
    assert "Your total: 100.00 EUR." in message.body


def test_a_payout_email_is_not_sent_to_a_user_who_turned_payouts_off(
    web, tenant, member, partner_user, django_capture_on_commit_callbacks
):
    # given
    nordwind = PartnerFactory(tenant=tenant, stage="signed", computed_tier="B")
    jo, li = partner_user(tenant, partner=nordwind), partner_user(tenant, partner=nordwind)
    web(jo).post("/t/alpha/notifications/", {"category": [c for c in categories() if c != "payouts"]})
    with tenant_context(tenant):
        rule_create(
            tenant=tenant,
            actor=member(tenant, Role.CHANNEL_MANAGER),
            name="Base",
            kind="commission",
            params={"rate": "5"},
        )
        SaleFactory(
            tenant=tenant, partner=nordwind, amount=Decimal("1000.00"), date=datetime.date(2026, 8, 15)
        )
        run = payout_run_compute(tenant=tenant, period="2026-Q3")

    # when
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        payout_run_approve(run=run, actor=member(tenant, Role.FINANCE), acknowledge_warnings=True)

    # then
    assert recipients() == [li.email]
