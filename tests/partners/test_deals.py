"""Deal registrations: telling customers apart, protection windows, conflicts, decisions, expiry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import DealRegistration
from partners.programme.settings import programme_save
from partners.selectors import deal_conflicts
from partners.selling.customers import customer_domain, normalise_customer
from partners.selling.deals import deal_decide, deal_extend, deal_register, deals_expire
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import DealRegistrationFactory, PartnerFactory

pytestmark = pytest.mark.django_db


# --- the same customer, written differently -------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("ACME Robotics, S.A.", "acme robotics"),
        ("Acme Robotics SA", "acme robotics"),
        ("acme robotics", "acme robotics"),
        ("Müller Maschinenbau GmbH", "muller maschinenbau"),
        ("Café Déjà Vu Ltda.", "cafe deja vu"),
        ("Fratelli Rossi S.p.A.", "fratelli rossi"),
        ("Widget Works Ltd.", "widget works"),
        ("Widget Works Co. Ltd", "widget works"),
        ("  O'Brien & Sons  ", "o brien sons"),
        ("AG Engineering", "ag engineering"),  # a legal form only counts at the end
        ("", ""),
    ],
)
def test_normalise_customer(written, normalised):
    assert normalise_customer(written) == normalised


@pytest.mark.parametrize(
    ("contact", "domain"),
    [
        ("jane.doe@Acme-Robotics.com", "acme-robotics.com"),
        ("https://www.acme.com/contact", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("acme.es", "acme.es"),
        ("purchasing@sub.acme.de", "sub.acme.de"),
        ("bob.builder@gmail.com", ""),
        ("https://outlook.com/someone", ""),
        ("   ", ""),
        ("", ""),
    ],
)
def test_customer_domain(contact, domain):
    assert customer_domain(contact) == domain


# --- registering --------------------------------------------------------------------------


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def register(partner, customer, contact="", **kwargs) -> DealRegistration:
    return deal_register(
        partner=partner,
        actor=None,
        customer=customer,
        expected_amount=Decimal("10000"),
        customer_contact=contact,
        **kwargs,
    )


def test_a_registration_is_protected_for_90_days_by_default(tenant):
    # when
    deal = register(PartnerFactory(tenant=tenant, stage="signed"), "ACME Robotics, S.A.", "jane@acme.com")

    # then
    deal = DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk)
    assert deal.status == "pending"
    assert deal.expires_at - deal.registered_at == timedelta(days=90)
    assert deal.customer == "ACME Robotics, S.A."
    assert deal.customer_key == "acme robotics"
    assert deal.customer_domain == "acme.com"
    assert deal.currency == "EUR"


def test_a_tenants_protection_window_applies(tenant):
    # given
    tenant.programme_settings = {"partners": {"protection_days": 30}}
    tenant.save()

    # when
    deal = register(PartnerFactory(tenant=tenant, stage="signed"), "Acme Robotics SA")

    # then
    assert deal.expires_at - deal.registered_at == timedelta(days=30)


def test_a_registration_needs_a_customer_name(tenant):
    with pytest.raises(ValidationError) as error:
        register(PartnerFactory(tenant=tenant, stage="signed"), " , S.A. ")

    assert "customer" in error.value.message_dict
    assert not DealRegistration.objects.for_tenant(tenant).exists()


# --- conflicts -------------------------------------------------------------------------------


@pytest.fixture
def north(tenant):
    return PartnerFactory(tenant=tenant, name="North", stage="signed")


@pytest.fixture
def south(tenant):
    return PartnerFactory(tenant=tenant, name="South", stage="signed")


def conflicts(tenant, *deals):
    return deal_conflicts(tenant=tenant, deals=deals)


def test_another_partners_registration_under_another_spelling_is_a_conflict(tenant, north, south):
    # given
    mine = register(north, "ACME Robotics, S.A.")
    theirs = register(south, "Acme Robotics SA")

    # when / then
    assert conflicts(tenant, mine, theirs) == {mine.pk: [theirs.pk], theirs.pk: [mine.pk]}


def test_the_same_email_domain_under_different_names_is_a_conflict(tenant, north, south):
    # given
    mine = register(north, "Acme Robotics", "jane@acme.com")
    theirs = register(south, "ACME Automation Division", "https://www.acme.com")

    # then
    assert conflicts(tenant, mine) == {mine.pk: [theirs.pk]}


def test_a_free_mail_domain_is_not_a_conflict(tenant, north, south):
    mine = register(north, "Foo Tools", "foo@gmail.com")
    register(south, "Bar Pumps", "bar@gmail.com")

    assert conflicts(tenant, mine) == {mine.pk: []}


def test_a_partners_own_registrations_are_not_a_conflict(tenant, north):
    first = register(north, "Acme Robotics SA")
    second = register(north, "ACME ROBOTICS LTD")

    assert conflicts(tenant, first, second) == {first.pk: [], second.pk: []}


def test_rejected_and_expired_registrations_are_not_a_conflict(tenant, north, south, manager):
    # given: three of the other partner's registrations for the customer, none still protecting it
    mine = register(north, "Acme Robotics SA")
    rejected = register(south, "Acme Robotics")
    deal_decide(deal=rejected, actor=manager, approve=False, reason="Acme is North's account")
    marked_expired = DealRegistrationFactory(
        tenant=tenant, partner=south, customer_key="acme robotics", status="expired"
    )
    DealRegistrationFactory(
        tenant=tenant,
        partner=south,
        customer_key="acme robotics",
        expires_at=timezone.now() - timedelta(days=1),
    )  # lapsed, not yet marked expired

    # then
    assert marked_expired.pk not in conflicts(tenant, mine)[mine.pk]
    assert conflicts(tenant, mine) == {mine.pk: []}


def test_an_approved_registration_is_a_conflict(tenant, north, south, manager):
    mine = register(north, "Acme Robotics SA")
    theirs = register(south, "Acme Robotics")
    deal_decide(deal=theirs, actor=manager, approve=True)

    assert conflicts(tenant, mine) == {mine.pk: [theirs.pk]}


def test_another_tenants_registration_is_not_a_conflict(tenant, other_tenant, north):
    # given
    mine = register(north, "Acme Robotics SA", "jane@acme.com")
    register(PartnerFactory(tenant=other_tenant, stage="signed"), "Acme Robotics SA", "joe@acme.com")

    # then
    assert conflicts(tenant, mine) == {mine.pk: []}


def test_no_deals_no_conflicts(tenant):
    assert deal_conflicts(tenant=tenant, deals=[]) == {}


# --- deciding ---------------------------------------------------------------------------------


def test_approving_records_who_when_and_an_audit_entry(tenant, north, manager):
    # given
    deal = register(north, "Acme Robotics")

    # when
    before = timezone.now()
    deal_decide(deal=deal, actor=manager, approve=True, reason="First to register")

    # then
    deal = DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk)
    assert deal.status == "approved"
    assert deal.decided_by == manager and deal.decided_at >= before
    assert deal.decision_reason == "First to register"
    entry = AuditEntry.objects.for_tenant(tenant).get(action="deal.decided")
    assert entry.changes == {"status": ["pending", "approved"]}
    assert entry.target_id == str(deal.pk) and entry.actor == manager


def test_rejecting_records_the_reason(tenant, north, manager):
    # given
    deal = register(north, "Acme Robotics")

    # when
    deal_decide(deal=deal, actor=manager, approve=False, reason="Direct account")

    # then
    deal = DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk)
    assert (deal.status, deal.decision_reason) == ("rejected", "Direct account")
    entry = AuditEntry.objects.for_tenant(tenant).get(action="deal.decided")
    assert entry.changes == {"status": ["pending", "rejected"]}
    assert entry.reason == "Direct account"


@pytest.mark.parametrize("reason", ["", "  "])
def test_rejecting_without_a_reason_is_refused(tenant, north, manager, reason):
    deal = register(north, "Acme Robotics")

    with pytest.raises(ValidationError) as error:
        deal_decide(deal=deal, actor=manager, approve=False, reason=reason)

    assert "reason" in error.value.message_dict
    assert DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk).status == "pending"
    assert not AuditEntry.objects.for_tenant(tenant).filter(action="deal.decided").exists()


def test_a_registration_is_decided_once(tenant, north, manager):
    # given
    deal = register(north, "Acme Robotics")
    deal_decide(deal=deal, actor=manager, approve=True)

    # when / then
    with pytest.raises(ValidationError) as error:
        deal_decide(
            deal=DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk),
            actor=manager,
            approve=False,
            reason="Changed my mind",
        )
    assert "status" in error.value.message_dict
    assert DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk).status == "approved"


# --- extending and expiring -------------------------------------------------------------------


def test_extending_adds_days_to_the_window(tenant, north, manager):
    # given
    deal = register(north, "Acme Robotics")
    before = deal.expires_at

    # when
    deal_extend(deal=deal, actor=manager, days=30, reason="Tender delayed")

    # then
    assert DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk).expires_at == before + timedelta(
        days=30
    )
    entry = AuditEntry.objects.for_tenant(tenant).get(action="deal.extended")
    assert entry.reason == "Tender delayed"


def test_extending_a_lapsed_window_counts_from_now(tenant, north, manager):
    # given: pending, but its window closed five days ago
    deal = DealRegistrationFactory(
        tenant=tenant, partner=north, expires_at=timezone.now() - timedelta(days=5)
    )

    # when
    start = timezone.now()
    deal_extend(deal=deal, actor=manager, days=10, reason="Still negotiating")
    end = timezone.now()

    # then
    expires_at = DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk).expires_at
    assert start + timedelta(days=10) <= expires_at <= end + timedelta(days=10)


@pytest.mark.parametrize(
    ("status", "days", "field"), [("rejected", 30, "status"), ("won", 30, "status"), ("pending", 0, "days")]
)
def test_what_cannot_be_extended(tenant, north, manager, status, days, field):
    deal = DealRegistrationFactory(tenant=tenant, partner=north, status=status)
    before = deal.expires_at

    with pytest.raises(ValidationError) as error:
        deal_extend(deal=deal, actor=manager, days=days, reason="Please")

    assert field in error.value.message_dict
    assert DealRegistration.objects.for_tenant(tenant).get(pk=deal.pk).expires_at == before


def test_only_lapsed_open_registrations_expire(tenant, other_tenant, north):
    # given
    past = timezone.now() - timedelta(minutes=1)
    lapsed_pending = DealRegistrationFactory(tenant=tenant, partner=north, expires_at=past)
    lapsed_approved = DealRegistrationFactory(
        tenant=tenant, partner=north, status="approved", expires_at=past
    )
    protected = DealRegistrationFactory(tenant=tenant, partner=north)
    won = DealRegistrationFactory(tenant=tenant, partner=north, status="won", expires_at=past)
    rejected = DealRegistrationFactory(tenant=tenant, partner=north, status="rejected", expires_at=past)
    elsewhere = DealRegistrationFactory(tenant=other_tenant, expires_at=past)

    # when
    expired = deals_expire(tenant=tenant)

    # then
    assert expired == 2
    status = {
        pk: state
        for each in (tenant, other_tenant)
        for pk, state in DealRegistration.objects.for_tenant(each).values_list("pk", "status")
    }
    assert status == {
        lapsed_pending.pk: "expired",
        lapsed_approved.pk: "expired",
        protected.pk: "pending",
        won.pk: "won",
        rejected.pk: "rejected",
        elsewhere.pk: "pending",
    }


def test_a_closed_deal_shows_no_conflict_even_if_others_chase_the_customer(tenant):

    won = DealRegistrationFactory(
        tenant=tenant, partner=PartnerFactory(tenant=tenant), customer="Initech", status="won"
    )
    open_one = DealRegistrationFactory(
        tenant=tenant, partner=PartnerFactory(tenant=tenant), customer="Initech"
    )
    with tenant_context(tenant):
        assert deal_conflicts(tenant=tenant, deals=[won, open_one]) == {won.pk: [], open_one.pk: []}


def test_a_partner_before_the_selling_stages_may_not_register_a_deal_and_is_told_why(tenant):
    prospect = PartnerFactory(tenant=tenant, name="Early GmbH", stage="first_talks")
    with pytest.raises(ValidationError) as caught:
        register(prospect, "Acme Robotics SA")
    message = caught.value.message_dict["partner"][0]
    assert "Early GmbH" in message and "First talks" in message and "Strategic" in message
    assert not DealRegistration.objects.for_tenant(tenant).exists()


def test_a_tenant_may_let_earlier_stages_register_deals(tenant, member):

    admin = member(tenant, Role.ADMIN)
    programme_save(
        tenant=tenant, actor=admin, values={"selling_stages": ["selection", "strategic", "signed"]}
    )
    deal = register(PartnerFactory(tenant=tenant, stage="selection"), "Acme Robotics SA")
    assert deal.pk
    with pytest.raises(ValidationError):  # certified was left out of this tenant's list
        register(PartnerFactory(tenant=tenant, stage="certified"), "Initech")
