"""Export finds the person's records in every app of one tenant; erasure anonymises them all,
keeps money as it was, is audited without the erased values, and is harmless a second time."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from incentives.models import PayoutRun
from partners.models import Contact
from prm.audit.events import audit_record
from prm.audit.models import AuditEntry
from prm.notifications.models import SentEmail
from prm.privacy.erasure import personal_data_erase
from prm.privacy.export import personal_data_export
from prm.privacy.subject import subject_for
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership
from prm.webhooks.models import Event
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    ContactFactory,
    LeadFactory,
    MembershipFactory,
    PartnerFactory,
    PartnerUserFactory,
    PayoutLineFactory,
    ProductRegistrationFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

ANA = "ana.lima@acme.example"


@pytest.fixture
def world(tenant, other_tenant, member):
    """Ana in tenant alpha as a contact, partner user, applicant, lead contact and end customer;
    her namesake address in tenant beta; someone else in alpha."""
    partner = PartnerFactory(tenant=tenant, name="Acme")
    link = PartnerUserFactory(
        tenant=tenant,
        partner=partner,
        membership__user__email=ANA,
        membership__user__first_name="Ana",
        membership__user__last_name="Lima",
    )
    with tenant_context(tenant):
        w = {
            "admin": member(tenant, Role.ADMIN),
            "partner": partner,
            "user": link.membership.user,
            "membership": link.membership,
            "contact": ContactFactory(
                tenant=tenant, partner=partner, name="Ana Lima", email=ANA, phone="+49 1"
            ),
            "other_contact": ContactFactory(
                tenant=tenant, partner=partner, name="Bo Berg", email="bo@acme.example"
            ),
            "application": ApplicationFactory(
                tenant=tenant, contact_name="Ana Lima", email=ANA.upper(), phone="+49 2"
            ),
            "lead": LeadFactory(
                tenant=tenant, contact_name="Ana Lima", contact_email=ANA, contact_phone="+49 3"
            ),
            "registration": ProductRegistrationFactory(tenant=tenant, partner=partner, customer_email=ANA),
            "visit": VisitFactory(
                tenant=tenant, partner=partner, summary="Met Ana Lima, keen on the bundle."
            ),
            "other_visit": VisitFactory(tenant=tenant, partner=partner, summary="Met Bo Berg."),
            "agreement": AgreementFactory(
                tenant=tenant, partner=partner, signatories="Ana Lima, CEO", uploaded_by=link.membership.user
            ),
            "line": PayoutLineFactory(tenant=tenant, partner=partner, amount=Decimal("250.00")),
            "mail": SentEmail.objects.for_tenant(tenant).create(
                tenant=tenant, subject="Welcome", to=[ANA], text="Hello Ana"
            ),
            "event": Event.objects.for_tenant(tenant).create(
                tenant=tenant, name="contact.created", data={"contact": {"name": "Ana Lima", "email": ANA}}
            ),
        }
    w["contact_audit"] = audit_record(
        tenant=tenant,
        actor=w["admin"],
        action="contact.changed",
        target=w["contact"],
        changes={"email": ["", ANA], "name": ["A. Lima", "Ana Lima"]},
    )
    PayoutRun.objects.for_tenant(tenant).filter(pk=w["line"].run_id).update(status="approved")
    w["elsewhere"] = ContactFactory(tenant=other_tenant, name="Ana Lima", email=ANA)
    return w


def test_the_export_holds_the_persons_records_from_every_app_and_nothing_else(tenant, world):
    # when
    document = json.loads(
        personal_data_export(subject=subject_for(tenant=tenant, email=ANA), actor=world["admin"])
    )

    # then
    records = document["records"]
    assert document["tenant"] == "alpha"
    assert [c["id"] for c in records["contacts"]] == [world["contact"].pk]
    assert [m["user"]["email"] for m in records["members"]] == [ANA]
    assert "password" not in records["members"][0]["user"]
    assert [a["id"] for a in records["applications"]] == [world["application"].pk]
    assert [x["id"] for x in records["leads"]] == [world["lead"].pk]
    assert [x["id"] for x in records["product_registrations"]] == [world["registration"].pk]
    assert [v["id"] for v in records["visits"]] == [world["visit"].pk]
    assert [a["id"] for a in records["agreements"]] == [world["agreement"].pk]
    assert [e["id"] for e in records["webhook_events"]] == [world["event"].pk]
    assert [e["id"] for e in records["sent_emails"]] == [world["mail"].pk]
    text = json.dumps(document)
    assert "Bo Berg" not in text and "bo@acme.example" not in text
    assert world["elsewhere"].pk not in [c["id"] for c in records["contacts"]]
    entry = AuditEntry.objects.for_tenant(tenant).get(action="personal_data.exported")
    assert ANA not in json.dumps(entry.changes) and entry.changes["records"]["contacts"] == 1


def test_a_record_names_the_person_and_its_email_finds_the_rest(tenant, world):
    document = json.loads(
        personal_data_export(
            subject=subject_for(tenant=tenant, contact=world["contact"].pk), actor=world["admin"]
        )
    )

    assert {"contacts", "members", "applications", "leads"} <= set(document["records"])


def test_erasure_anonymises_every_place_and_keeps_the_money(tenant, world):
    # when
    erased = personal_data_erase(
        subject=subject_for(tenant=tenant, email=ANA), actor=world["admin"], confirm=ANA
    )

    # then
    with tenant_context(tenant):
        contact = Contact.objects.get(pk=world["contact"].pk)
        assert contact.name == f"Erased person #{contact.pk}" and contact.email.endswith("@erased.invalid")
        assert contact.phone == ""
        application = type(world["application"]).objects.get(pk=world["application"].pk)
        assert application.contact_name.startswith("Erased person") and application.phone == ""
        lead = type(world["lead"]).objects.get(pk=world["lead"].pk)
        assert (lead.contact_name, lead.contact_email, lead.contact_phone) == ("", "", "")
        assert type(world["registration"]).objects.get(pk=world["registration"].pk).customer_email == ""
        assert "Ana" not in type(world["visit"]).objects.get(pk=world["visit"].pk).summary
        assert type(world["other_visit"]).objects.get(pk=world["other_visit"].pk).summary == "Met Bo Berg."
        agreement = type(world["agreement"]).objects.get(pk=world["agreement"].pk)
        assert not agreement.document and "Ana" not in agreement.signatories
        assert ANA not in json.dumps(Event.objects.get(pk=world["event"].pk).data)
        assert not SentEmail.objects.filter(pk=world["mail"].pk).exists()
        line = type(world["line"]).objects.select_related("partner").get(pk=world["line"].pk)
        assert line.amount == Decimal("250.00") and line.partner == world["partner"]
        assert Contact.objects.get(pk=world["other_contact"].pk).email == "bo@acme.example"
    user = get_user_model().objects.get(pk=world["user"].pk)
    assert not user.is_active and not user.has_usable_password() and ANA not in user.email
    assert not Membership.objects.for_tenant(tenant).get(pk=world["membership"].pk).is_active
    assert Contact.objects.for_tenant(world["elsewhere"].tenant).get(pk=world["elsewhere"].pk).email == ANA
    assert erased["contacts"] == 1 and erased["files"] == 1
    entry = AuditEntry.objects.for_tenant(tenant).get(action="personal_data.erased")
    assert entry.changes == {"records": erased}
    assert "Ana" not in json.dumps(entry.changes) and ANA not in entry.target_repr
    for row in AuditEntry.objects.for_tenant(tenant):
        assert ANA not in json.dumps(row.changes) and "Ana Lima" not in row.target_repr


def test_a_second_erasure_is_harmless(tenant, world):
    subject = subject_for(tenant=tenant, email=ANA)
    personal_data_erase(subject=subject, actor=world["admin"], confirm=ANA)

    again = personal_data_erase(
        subject=subject_for(tenant=tenant, email=ANA), actor=world["admin"], confirm=ANA
    )
    by_record = personal_data_erase(
        subject=subject_for(tenant=tenant, contact=world["contact"].pk), actor=world["admin"], confirm="erase"
    )

    assert again == {}
    assert by_record["contacts"] == 1
    with tenant_context(tenant):
        assert Contact.objects.get(pk=world["contact"].pk).name == f"Erased person #{world['contact'].pk}"


def test_a_user_of_another_tenant_keeps_the_account(tenant, other_tenant, world):
    MembershipFactory(tenant=other_tenant, user=world["user"], role=Role.FINANCE)

    personal_data_erase(subject=subject_for(tenant=tenant, email=ANA), actor=world["admin"], confirm=ANA)

    user = get_user_model().objects.get(pk=world["user"].pk)
    assert user.is_active and user.email == ANA and user.has_usable_password()
    assert not Membership.objects.for_tenant(tenant).get(pk=world["membership"].pk).is_active


def test_erasure_needs_the_typed_confirmation_and_is_refused_while_a_draft_run_pays_the_partner(
    tenant, world
):
    subject = subject_for(tenant=tenant, email=ANA)
    with pytest.raises(ValidationError) as wrong:
        personal_data_erase(subject=subject, actor=world["admin"], confirm="yes")
    PayoutLineFactory(tenant=tenant, partner=world["partner"], run__status="draft")
    with pytest.raises(ValidationError) as draft:
        personal_data_erase(subject=subject, actor=world["admin"], confirm=ANA)

    assert "confirm" in wrong.value.message_dict
    assert "draft payout run" in draft.value.message_dict["detail"][0]
    with tenant_context(tenant):
        assert Contact.objects.get(pk=world["contact"].pk).email == ANA
    assert not AuditEntry.objects.for_tenant(tenant).filter(action="personal_data.erased").exists()


def test_an_admin_cannot_erase_themselves(tenant, world):
    admin = world["admin"]

    with pytest.raises(ValidationError):
        personal_data_erase(
            subject=subject_for(tenant=tenant, email=admin.email), actor=admin, confirm=admin.email
        )
