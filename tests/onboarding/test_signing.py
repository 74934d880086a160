"""The ``signed`` gate: the signed cooperation agreement on file, then the onboarding checklist."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from onboarding.defaults import ensure_checklist_template, ensure_onboarding_defaults
from onboarding.models import Agreement, ChecklistStep, ChecklistTemplateStep
from onboarding.services.signing import agreement_record, checklist_start, checklist_step_done
from partners.lifecycle.moves import partner_transition
from partners.models import Partner
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.webhooks.services import endpoint_create
from tests.factories import (
    AgreementTemplateFactory,
    AssessmentFactory,
    CompletionFactory,
    CourseFactory,
    PartnerFactory,
    real_pdf,
)
from tests.test_webhooks import Receiver

pytestmark = pytest.mark.django_db

NO_AGREEMENT = "Signed needs the signed cooperation agreement on file."
DEFAULT_STEPS = [
    "Agreement signed",
    "Partner file completed",
    "Plaque or certificate awarded",
    "Portal users invited",
    "Required training completed",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _checklist_template(tenant):
    """The checklist a new tenant starts with (``tenant_create`` makes it)."""
    with tenant_context(tenant):
        ensure_checklist_template(tenant)


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def strategic(tenant):
    """A strategic partner with its strategic review: only the agreement is missing for signed."""
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="strategic")
    AssessmentFactory(tenant=tenant, partner=partner, kind="strategic")
    return partner


@pytest.fixture
def template(tenant):
    return AgreementTemplateFactory(tenant=tenant, name="Cooperation agreement", version="2026.1")


def pdf(name="a.pdf", content=None):
    content = real_pdf() if content is None else content
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def record(partner, actor, template, **fields):
    fields = {
        "signed_on": datetime.date(2026, 9, 1),
        "signatories": "Ana Lima, CEO, Nordwind",
        "document": pdf(),
        **fields,
    }
    with tenant_context(partner.tenant):
        return agreement_record(partner=partner, actor=actor, template=template, **fields)


def move(partner, to, actor):
    with tenant_context(partner.tenant):
        return partner_transition(partner=partner, to=to, actor=actor)


def stage_of(partner):
    return Partner.objects.for_tenant(partner.tenant).get(pk=partner.pk).stage


def steps_of(partner):
    return list(ChecklistStep.objects.for_tenant(partner.tenant).filter(partner=partner))


def agreements_of(partner):
    return Agreement.objects.for_tenant(partner.tenant).filter(partner=partner)


# --- the gate ----------------------------------------------------------------------


def test_signed_is_refused_without_the_agreement_on_file(strategic, manager):
    # when
    with pytest.raises(ValidationError) as caught:
        move(strategic, "signed", manager)

    # then
    assert caught.value.message_dict == {"to": [NO_AGREEMENT]}
    assert stage_of(strategic) == "strategic"


def test_the_api_refuses_signed_without_the_agreement(api, strategic, manager):
    # when
    response = api(manager).post(
        f"/api/v1/tenants/alpha/partners/{strategic.pk}/transition/", {"to": "signed"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json() == {"to": [NO_AGREEMENT]}


def test_another_partners_agreement_does_not_open_the_gate(tenant, strategic, manager, template):
    # given
    other = PartnerFactory(tenant=tenant, stage="strategic")
    record(other, manager, template)

    # when / then
    with pytest.raises(ValidationError) as caught:
        move(strategic, "signed", manager)
    assert caught.value.message_dict == {"to": [NO_AGREEMENT]}


# --- recording the agreement -------------------------------------------------------


def test_an_agreement_that_is_not_a_pdf_is_refused(strategic, manager, template):
    # when
    with pytest.raises(ValidationError) as caught:
        record(strategic, manager, template, document=pdf(content=b"Hello, I am a Word file"))

    # then
    assert list(caught.value.message_dict) == ["document"]
    assert not agreements_of(strategic).exists()
    assert steps_of(strategic) == []


def test_an_agreement_without_signatories_is_refused(strategic, manager, template):
    # when
    with pytest.raises(ValidationError) as caught:
        record(strategic, manager, template, signatories="  \n ")

    # then
    assert list(caught.value.message_dict) == ["signatories"]
    assert not agreements_of(strategic).exists()


def test_a_pdf_agreement_is_recorded_and_starts_the_checklist_with_its_step_done(
    strategic, manager, template
):
    # when
    agreement = record(strategic, manager, template)

    # then
    stored = agreements_of(strategic).get()
    assert stored == agreement
    assert (stored.template, stored.version, stored.signed_on) == (
        template,
        "2026.1",
        datetime.date(2026, 9, 1),
    )
    assert stored.signatories == "Ana Lima, CEO, Nordwind" and stored.uploaded_by == manager
    assert stored.document.read().startswith(b"%PDF-")
    steps = steps_of(strategic)
    assert [s.title for s in steps] == DEFAULT_STEPS
    assert [(s.done_at is not None, s.done_by) for s in steps] == [(True, manager)] + [(False, None)] * 4


def test_the_agreement_step_is_ticked_whatever_language_made_the_checklist(
    tenant, strategic, manager, template
):
    # given: a French-speaking admin created the tenant, so its checklist is in French
    ChecklistTemplateStep.objects.for_tenant(tenant).delete()
    with translation.override("fr"):
        ensure_onboarding_defaults(tenant)

    # when: an English-speaking manager records the agreement
    with translation.override("en"):
        record(strategic, manager, template)

    # then: the first step ("Contrat signé") is done
    first = steps_of(strategic)[0]
    assert first.title == "Contrat signé"
    assert first.done_at is not None


def test_once_the_agreement_is_on_file_the_move_to_signed_succeeds(strategic, manager, template):
    # given: the agreement, and a required course still to do (so signing does not certify)
    CourseFactory(tenant=strategic.tenant, required_for_certification=True)
    record(strategic, manager, template)

    # when
    move(strategic, "signed", manager)

    # then
    assert stage_of(strategic) == "signed"


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    server = Receiver()
    yield server
    server.server.shutdown()


def test_signing_a_trained_partner_certifies_it_and_tells_so_in_the_order_it_happened(
    api,
    tenant,
    member,
    manager,
    strategic,
    template,
    partner_user,
    receiver,
    django_capture_on_commit_callbacks,
):
    # given: the required training completed before signing, the agreement on file, a subscriber
    # of every event and a portal user of the partner
    CompletionFactory(tenant=tenant, partner=strategic)
    record(strategic, manager, template)
    with tenant_context(tenant):
        endpoint_create(tenant=tenant, actor=member(tenant, Role.ADMIN), url=receiver.url, events=["*"])
    user = partner_user(tenant, partner=strategic)
    mail.outbox.clear()

    # when: the manager signs the partner (which certifies it in the same move)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post(
            f"/api/v1/tenants/alpha/partners/{strategic.pk}/transition/", {"to": "signed"}, format="json"
        )

    # then: the subscriber hears of signing first, with the partner as it was signed, then of the
    # certification; the sequence numbers rise in that order
    assert response.status_code == 200, response.json()
    events = receiver.events()
    assert [(e["event"], e["data"]["stage"], e["data"].get("from_stage")) for e in events] == [
        ("partner.stage_changed", "signed", "strategic"),
        ("partner.stage_changed", "certified", "signed"),
        ("partner.certified", "certified", None),
    ]
    sequences = [e["sequence"] for e in events]
    assert sequences == sorted(set(sequences))
    # the partner's users are told "Signed" before "Certified"
    subjects = [m.subject for m in mail.outbox if user.email in m.to]
    assert subjects == ["Nordwind Systems: now Signed", "Nordwind Systems: now Certified"]
    # and the answer shows the partner as it stands: certified
    assert response.json()["stage"] == stage_of(strategic) == "certified"


def test_a_second_agreement_keeps_the_one_checklist(strategic, manager, template, tenant):
    # given
    record(strategic, manager, template)

    # when
    record(strategic, manager, AgreementTemplateFactory(tenant=tenant, version="2026.2"))

    # then
    assert agreements_of(strategic).count() == 2
    assert [s.title for s in steps_of(strategic)] == DEFAULT_STEPS


def test_checklist_step_done_toggles(strategic, manager, template):
    # given
    record(strategic, manager, template)
    with tenant_context(strategic.tenant):
        step = checklist_start(strategic)[1]

    # when
    checklist_step_done(step=step, actor=manager, done=True)
    done = ChecklistStep.objects.for_tenant(strategic.tenant).get(pk=step.pk)
    checklist_step_done(step=step, actor=manager, done=False)
    undone = ChecklistStep.objects.for_tenant(strategic.tenant).get(pk=step.pk)

    # then
    assert done.done_at is not None and done.done_by == manager
    assert (undone.done_at, undone.done_by) == (None, None)


# --- the manager's onboarding page -------------------------------------------------


@pytest.fixture
def signed_partner(strategic, manager, template):
    record(strategic, manager, template)
    move(strategic, "signed", manager)
    return strategic


def test_the_manager_sees_the_checklist_on_the_onboarding_page(web, signed_partner, manager):
    # when
    response = web(manager).get(f"/t/alpha/onboarding/{signed_partner.pk}/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    checklist = html[html.index('data-testid="checklist"') :]
    for title in DEFAULT_STEPS:
        assert title in checklist
    assert "Cooperation agreement 2026.1" in html


def test_the_manager_ticks_a_step_on_the_page(web, signed_partner, manager):
    # given
    step = steps_of(signed_partner)[1]

    # when
    response = web(manager).post(f"/t/alpha/onboarding/steps/{step.pk}/", {"done": "1"})

    # then
    assert response.status_code == 302
    stored = ChecklistStep.objects.for_tenant(signed_partner.tenant).get(pk=step.pk)
    assert stored.done_at is not None and stored.done_by == manager


def test_the_manager_records_the_agreement_on_the_page(web, strategic, manager, template):
    # when
    response = web(manager).post(
        f"/t/alpha/onboarding/{strategic.pk}/agreement/",
        {
            "template": template.pk,
            "signed_on": "2026-09-01",
            "signatories": "Ana Lima, CEO",
            "document": pdf(),
        },
    )

    # then
    assert response.status_code == 302
    assert agreements_of(strategic).get().signatories == "Ana Lima, CEO"


def test_the_page_refuses_a_document_that_is_not_a_pdf(web, strategic, manager, template):
    # when
    response = web(manager).post(
        f"/t/alpha/onboarding/{strategic.pk}/agreement/",
        {
            "template": template.pk,
            "signed_on": "2026-09-01",
            "signatories": "Ana Lima, CEO",
            "document": pdf(content=b"GIF89a not a pdf"),
        },
    )

    # then
    assert response.status_code == 400
    assert "This file is not a readable PDF file." in response.content.decode()
    assert not agreements_of(strategic).exists()


def test_a_partner_user_cannot_open_the_onboarding_page(web, tenant, signed_partner, partner_user):
    # given
    user = partner_user(tenant, partner=signed_partner)

    # when
    response = web(user).get(f"/t/alpha/onboarding/{signed_partner.pk}/")

    # then
    assert response.status_code == 403


def test_an_integrator_signs_a_partner_through_the_api_alone(api, tenant, member, strategic):
    """List the templates, record the agreement with one of them, and the partner can be signed."""

    ensure_onboarding_defaults(tenant)
    client = api(member(tenant, Role.CHANNEL_MANAGER))
    templates = client.get(f"/api/v1/tenants/{tenant.slug}/agreement-templates/").json()["results"]
    assert templates and {"id", "name", "version", "body"} <= set(templates[0])

    recorded = client.post(
        f"/api/v1/tenants/{tenant.slug}/agreements/",
        {
            "partner": strategic.pk,
            "template": templates[0]["id"],
            "signed_on": "2026-09-01",
            "signatories": "Ana Lima, CEO",
            "document": pdf(),
        },
        format="multipart",
    )
    assert recorded.status_code == 201, recorded.json()
    courses = client.get(f"/api/v1/tenants/{tenant.slug}/courses/").json()["results"]
    assert courses and "required_for_certification" in courses[0]


def test_a_partner_user_reads_the_course_catalogue_and_the_templates(api, tenant, partner_user, strategic):

    ensure_onboarding_defaults(tenant)
    client = api(partner_user(tenant, partner=strategic))
    assert client.get(f"/api/v1/tenants/{tenant.slug}/courses/").json()["count"] > 0
    assert client.get(f"/api/v1/tenants/{tenant.slug}/agreement-templates/").status_code == 200
