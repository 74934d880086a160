"""The partner's dashboard: its own onboarding and training, the announcements, nobody else's data."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onboarding.defaults import ensure_checklist_template
from onboarding.models import Announcement
from onboarding.services.signing import agreement_record
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    AgreementFactory,
    AgreementTemplateFactory,
    AnnouncementFactory,
    CompletionFactory,
    CourseFactory,
    DealRegistrationFactory,
    PartnerFactory,
    ScorecardFactory,
    real_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _checklist_template(tenant):
    """The checklist a new tenant starts with (``tenant_create`` makes it)."""
    with tenant_context(tenant):
        ensure_checklist_template(tenant)


@pytest.fixture
def courses(tenant):
    return [
        CourseFactory(tenant=tenant, name="Sales handbook", position=0),
        CourseFactory(tenant=tenant, name="Consultative selling", position=1),
        CourseFactory(tenant=tenant, name="Key-account breakthrough", required_for_certification=False),
    ]


@pytest.fixture
def nordwind(tenant, member, courses):
    """A signed partner whose agreement was recorded (the checklist's first step is done)."""
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    with tenant_context(tenant):
        agreement_record(
            partner=partner,
            actor=member(tenant, Role.CHANNEL_MANAGER),
            template=AgreementTemplateFactory(tenant=tenant),
            signed_on=datetime.date(2026, 9, 1),
            signatories="Ana Lima, CEO",
            document=SimpleUploadedFile("a.pdf", real_pdf(), content_type="application/pdf"),
        )
    CompletionFactory(
        tenant=tenant, partner=partner, course=courses[0], completed_on=datetime.date(2026, 9, 1)
    )
    return partner


@pytest.fixture
def baltic(tenant, courses):
    """Another partner of the tenant, with data of every kind."""
    partner = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="signed")
    AgreementFactory(tenant=tenant, partner=partner, signatories="Karl Baltic, CEO")
    CompletionFactory(tenant=tenant, partner=partner, course=courses[1], person="Karl Baltic")
    DealRegistrationFactory(tenant=tenant, partner=partner, customer="Baltic Customer AB")
    ScorecardFactory(tenant=tenant, partner=partner)
    return partner


def own_panel(html: str) -> str:
    start = html.index('data-testid="own-onboarding"')
    return html[start : html.index("</section>", start)]


def test_the_dashboard_shows_the_partners_own_onboarding_and_training_to_do(
    web, tenant, nordwind, partner_user
):
    # given
    client = web(partner_user(tenant, partner=nordwind))

    # when
    response = client.get("/t/alpha/")

    # then
    assert response.status_code == 200
    panel = own_panel(response.content.decode())
    assert "1 of 5 onboarding steps done." in panel  # the agreement step
    assert "1 required course to do" in panel and "Consultative selling" in panel
    assert "Sales handbook" not in panel and "Key-account breakthrough" not in panel


def test_the_dashboard_counts_steps_ticked_by_the_manager(web, tenant, member, nordwind, partner_user):
    # given: the manager ticked a second step
    manager = web(member(tenant, Role.CHANNEL_MANAGER))
    page = manager.get(f"/t/alpha/onboarding/{nordwind.pk}/")
    step = next(s for s in page.context["steps"] if s.title == "Partner file completed")
    manager.post(f"/t/alpha/onboarding/steps/{step.pk}/", {"done": "1"})

    # when
    html = web(partner_user(tenant, partner=nordwind)).get("/t/alpha/").content.decode()

    # then
    assert "2 of 5 onboarding steps done." in own_panel(html)


def test_a_partner_with_all_training_done_is_told_so(web, tenant, nordwind, courses, partner_user):
    # given
    CompletionFactory(tenant=tenant, partner=nordwind, course=courses[1])

    # when
    html = web(partner_user(tenant, partner=nordwind)).get("/t/alpha/").content.decode()

    # then
    panel = own_panel(html)
    assert "All required training is complete." in panel and "to do" not in panel


def test_an_announcement_published_by_a_manager_shows_on_the_partners_dashboard(
    web, client, tenant, member, nordwind, partner_user
):
    # given
    published = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        "/t/alpha/announcements/", {"title": "New price list", "body": "Valid from 1 December."}
    )
    assert published.status_code == 302
    client.logout()

    # when
    html = web(partner_user(tenant, partner=nordwind)).get("/t/alpha/").content.decode()

    # then
    assert Announcement.objects.for_tenant(tenant).get().title == "New price list"
    assert "New price list" in html and "Valid from 1 December." in html


def test_a_partner_user_may_not_publish_an_announcement(web, tenant, nordwind, partner_user):
    # when
    response = web(partner_user(tenant, partner=nordwind)).post(
        "/t/alpha/announcements/", {"title": "Cheap robots", "body": "Buy now."}
    )

    # then
    assert response.status_code == 403
    assert not Announcement.objects.for_tenant(tenant).exists()


def test_another_tenants_announcements_do_not_show(web, tenant, other_tenant, nordwind, partner_user):
    # given
    AnnouncementFactory(tenant=other_tenant, title="Beta roadmap")
    AnnouncementFactory(tenant=tenant, title="Alpha roadmap")

    # when
    html = web(partner_user(tenant, partner=nordwind)).get("/t/alpha/").content.decode()

    # then
    assert "Alpha roadmap" in html and "Beta roadmap" not in html


def test_the_dashboard_shows_none_of_another_partners_data(web, tenant, nordwind, baltic, partner_user):
    # given
    client = web(partner_user(tenant, partner=nordwind))

    # when
    html = client.get("/t/alpha/").content.decode()
    training = client.get("/t/alpha/training/").content.decode()

    # then
    assert "Nordwind Systems" in html
    for page in (html, training):
        assert "Baltic Motion" not in page
        assert "Karl Baltic" not in page and "Baltic Customer AB" not in page
    courses = training[training.index('data-testid="courses"') :]
    assert "Consultative selling" in courses.split("to do")[1]  # baltic's completion is not nordwind's
