"""The partner's users are e-mailed when a manager approves or refuses their redemption, in the
tenant's language, unless they turned the ``redemptions`` category off."""

import pytest
from django.utils import translation

from prm.notifications.services import preference_set
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from rewards.catalogue.services import mail
from rewards.catalogue.services.grants import redemption_grant
from rewards.catalogue.services.redemptions import redemption_decide, redemption_request
from tests.factories import PartnerFactory, PointsEntryFactory, RewardItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordwind(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind", stage="signed")


def test_approval_and_refusal_are_e_mailed_to_the_partner_s_users(
    tenant, member, nordwind, partner_user, mailoutbox, django_capture_on_commit_callbacks
):
    manager = member(tenant, Role.CHANNEL_MANAGER)
    buyer, colleague = partner_user(tenant, partner=nordwind), partner_user(tenant, partner=nordwind)
    outsider = partner_user(tenant, partner=PartnerFactory(tenant=tenant))
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=200)
    item = RewardItemFactory(tenant=tenant, name="Espresso machine", points=50)
    with tenant_context(tenant):
        first = redemption_request(tenant=tenant, partner=nordwind, item=item, actor=buyer)
        second = redemption_request(tenant=tenant, partner=nordwind, item=item, actor=buyer)
        preference_set(tenant=tenant, user=colleague, category="redemptions", enabled=False)
        with django_capture_on_commit_callbacks(execute=True):
            redemption_decide(redemption=first, actor=manager, approve=True)
        with django_capture_on_commit_callbacks(execute=True):
            redemption_decide(redemption=second, actor=manager, approve=False, note="Discontinued")

    assert [m.to for m in mailoutbox] == [[buyer.email], [buyer.email]]
    approved, refused = mailoutbox
    assert approved.subject == f"Redemption #{first.pk} approved: Espresso machine"
    assert refused.subject == f"Redemption #{second.pk} refused: Espresso machine"
    assert "Discontinued" in refused.body and "points are back" in refused.body
    assert outsider.email not in {address for m in mailoutbox for address in m.to}


def test_the_mail_is_written_in_the_tenant_s_language(
    tenant, member, nordwind, partner_user, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    tenant.default_language = "fr"
    tenant.save(update_fields=["default_language"])
    manager, buyer = member(tenant, Role.CHANNEL_MANAGER), partner_user(tenant, partner=nordwind)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=200)
    item = RewardItemFactory(tenant=tenant, name="Mug", points=50)
    spoken = []
    monkeypatch.setattr(mail, "_subject", lambda redemption: spoken.append(translation.get_language()) or "S")
    with tenant_context(tenant), translation.override("en"):
        redemption = redemption_request(tenant=tenant, partner=nordwind, item=item, actor=buyer)
        with django_capture_on_commit_callbacks(execute=True):
            redemption_decide(redemption=redemption, actor=manager, approve=True)
    assert spoken == ["fr"] and len(mailoutbox) == 1


def test_a_granted_prize_is_approved_costs_nothing_and_is_e_mailed(
    tenant, member, nordwind, partner_user, mailoutbox, django_capture_on_commit_callbacks
):
    manager, user = member(tenant, Role.CHANNEL_MANAGER), partner_user(tenant, partner=nordwind)
    item = RewardItemFactory(tenant=tenant, name="Trip", points=900, stock=1)
    with tenant_context(tenant):
        with django_capture_on_commit_callbacks(execute=True):
            granted = redemption_grant(nordwind, item, "Contest “Race”: Trip", actor=manager)
        waiting = redemption_grant(nordwind, item, "Contest “Race”: Trip", actor=manager)
        item.refresh_from_db()
    assert (granted.status, granted.points, granted.prize, granted.reserve_entry_id) == (
        "approved",
        0,
        True,
        None,
    )
    assert not granted.waits_for_stock and waiting.waits_for_stock and item.stock == 0
    assert [m.to for m in mailoutbox] == [[user.email]] and "Trip" in mailoutbox[0].subject
