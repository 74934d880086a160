"""Training: completions and their validity, automatic certification, the certificate, the training KPI."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from onboarding.models import Completion
from onboarding.services.training import certifications_review, completion_record, training_completion
from partners.lifecycle.moves import partner_transition
from partners.models import Partner, StageChange
from partners.programme.settings import programme_save
from partners.tiering.recompute import tiers_recompute
from prm.periods import parse_period
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    AgreementFactory,
    AssessmentFactory,
    CompletionFactory,
    CourseFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

CERTIFIED_NOTE = "All required training completed."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def courses(tenant):
    """Two required courses and one optional one."""
    return {
        "handbook": CourseFactory(tenant=tenant, name="Sales handbook", validity_months=24),
        "projects": CourseFactory(tenant=tenant, name="Running large projects", validity_months=12),
        "optional": CourseFactory(
            tenant=tenant, name="Key-account breakthrough", required_for_certification=False
        ),
    }


@pytest.fixture
def signed(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")


def complete(partner, course, actor, **fields):
    with tenant_context(partner.tenant):
        return completion_record(course=course, partner=partner, person="Jo Silva", actor=actor, **fields)


def stage_of(partner):
    return Partner.objects.for_tenant(partner.tenant).get(pk=partner.pk).stage


def certifications_of(partner):
    return StageChange.objects.for_tenant(partner.tenant).filter(partner=partner, to_stage="certified")


# --- completions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "completed_on", "expires_on"),
    [
        (24, datetime.date(2026, 3, 15), datetime.date(2028, 3, 15)),
        (1, datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (None, datetime.date(2026, 3, 15), None),
    ],
)
def test_a_completion_is_valid_for_the_courses_months(
    tenant, signed, manager, months, completed_on, expires_on
):
    # given
    course = CourseFactory(tenant=tenant, validity_months=months, required_for_certification=False)

    # when
    completion = complete(signed, course, manager, completed_on=completed_on)

    # then
    stored = Completion.objects.for_tenant(tenant).get(pk=completion.pk)
    assert (stored.completed_on, stored.expires_on) == (completed_on, expires_on)
    assert (stored.partner, stored.course, stored.person) == (signed, course, "Jo Silva")


# --- certification -----------------------------------------------------------------


def test_the_last_required_course_certifies_a_signed_partner(signed, courses, manager):
    # given
    complete(signed, courses["handbook"], manager)
    assert stage_of(signed) == "signed"

    # when
    complete(signed, courses["projects"], manager)

    # then
    assert stage_of(signed) == "certified"
    change = certifications_of(signed).get()
    assert (change.from_stage, change.note, change.changed_by) == ("signed", CERTIFIED_NOTE, manager)


def test_a_course_that_is_not_required_does_not_count(signed, courses, manager):
    # when
    complete(signed, courses["handbook"], manager)
    complete(signed, courses["optional"], manager)

    # then
    assert stage_of(signed) == "signed"
    assert not certifications_of(signed).exists()


def test_an_expired_completion_does_not_count(signed, courses, manager):
    # given: the projects course (valid 12 months) was done two years ago
    complete(
        signed, courses["projects"], manager, completed_on=timezone.localdate() - datetime.timedelta(days=730)
    )

    # when
    complete(signed, courses["handbook"], manager)

    # then
    assert stage_of(signed) == "signed"

    # and when it is redone, the partner is certified
    complete(signed, courses["projects"], manager)
    assert stage_of(signed) == "certified"


@pytest.mark.parametrize("stage", ["prospecting", "strategic", "lost"])
def test_a_partner_that_is_not_signed_is_not_certified(tenant, courses, manager, stage):
    # given
    partner = PartnerFactory(tenant=tenant, stage=stage)

    # when
    complete(partner, courses["handbook"], manager)
    complete(partner, courses["projects"], manager)

    # then
    assert stage_of(partner) == stage
    assert not certifications_of(partner).exists()


def test_a_certified_partner_is_not_certified_again(signed, courses, manager):
    # given
    complete(signed, courses["handbook"], manager)
    complete(signed, courses["projects"], manager)

    # when
    complete(signed, courses["handbook"], manager)

    # then
    assert stage_of(signed) == "certified"
    assert certifications_of(signed).count() == 1


def test_a_partner_trained_before_signing_is_certified_when_it_is_signed(tenant, courses, manager):
    # given: a strategic partner finished the required training, then signs
    partner = PartnerFactory(tenant=tenant, stage="strategic")
    AssessmentFactory(tenant=tenant, partner=partner, kind="strategic")
    complete(partner, courses["handbook"], manager)
    complete(partner, courses["projects"], manager)
    AgreementFactory(tenant=tenant, partner=partner)

    # when
    with tenant_context(tenant):
        partner_transition(partner=partner, to="signed", actor=manager)

    # then
    assert stage_of(partner) == "certified"


# --- the certificate ---------------------------------------------------------------


def certify(partner, courses, actor):
    complete(partner, courses["handbook"], actor)
    complete(partner, courses["projects"], actor)
    assert stage_of(partner) == "certified"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_certificate_is_a_pdf_naming_the_partner(web, signed, courses, manager):
    # given
    certify(signed, courses, manager)

    # when
    response = web(manager).get(f"/t/alpha/onboarding/{signed.pk}/certificate/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Nordwind Systems" in text and "Alpha Robotics" in text
    assert "Sales handbook" in text and "Key-account breakthrough" not in text


def test_there_is_no_certificate_before_certification(web, signed, courses, manager):
    # given
    complete(signed, courses["handbook"], manager)

    # when
    response = web(manager).get(f"/t/alpha/onboarding/{signed.pk}/certificate/")

    # then
    assert response.status_code == 404


def test_a_partner_user_downloads_its_own_certificate_but_not_anothers(
    web, tenant, signed, courses, manager, partner_user
):
    # given
    other = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="signed")
    certify(signed, courses, manager)
    certify(other, courses, manager)
    client = web(partner_user(tenant, partner=signed))

    # when
    own = client.get(f"/t/alpha/onboarding/{signed.pk}/certificate/")
    foreign = client.get(f"/t/alpha/onboarding/{other.pk}/certificate/")

    # then
    assert own.status_code == 200 and "Nordwind Systems" in pdf_text(own.content)
    assert foreign.status_code == 404


# --- the training KPI --------------------------------------------------------------


def test_the_training_kpi_is_the_share_of_required_courses_valid_at_the_periods_end(tenant, other_tenant):
    # given: four required courses and an optional one; 2026-Q3 ends on 30 September
    required = [CourseFactory(tenant=tenant, validity_months=24) for _n in range(4)]
    optional = CourseFactory(tenant=tenant, required_for_certification=False)
    in_q3 = datetime.date(2026, 8, 1)
    full, half, quarter, late = (PartnerFactory(tenant=tenant, stage="signed") for _n in range(4))

    def done(partner, course, on=in_q3, expires=datetime.date(2028, 8, 1)):
        CompletionFactory(tenant=tenant, partner=partner, course=course, completed_on=on, expires_on=expires)

    for course in required:
        done(full, course)  # 4 of 4
    done(half, required[0])
    done(half, required[0])  # the same course twice counts once
    done(half, required[1])
    done(half, optional)  # not required: does not count
    done(half, required[2], on=datetime.date(2024, 8, 1), expires=datetime.date(2026, 9, 29))  # lapsed
    done(quarter, required[3])
    done(quarter, required[0], on=datetime.date(2026, 10, 2))  # after the period
    done(late, required[0], on=datetime.date(2026, 11, 1))
    foreign = PartnerFactory(tenant=other_tenant)
    CompletionFactory(tenant=other_tenant, partner=foreign, completed_on=in_q3)

    # when
    values = training_completion(tenant, parse_period("2026-Q3"))

    # then: 100 × completed required / 4
    assert values == {full.pk: Decimal(100), half.pk: Decimal(50), quarter.pk: Decimal(25)}


def test_a_completion_valid_until_the_periods_last_day_counts(tenant):
    # given
    course = CourseFactory(tenant=tenant)
    partner = PartnerFactory(tenant=tenant, stage="signed")
    CompletionFactory(
        tenant=tenant,
        partner=partner,
        course=course,
        completed_on=datetime.date(2024, 9, 30),
        expires_on=datetime.date(2026, 9, 30),
    )

    # when
    values = training_completion(tenant, parse_period("2026-Q3"))

    # then
    assert values == {partner.pk: Decimal(100)}


# --- the partner's training page ---------------------------------------------------


def test_a_partner_user_records_its_completion_and_is_certified_by_the_last_one(
    web, tenant, signed, courses, manager, partner_user
):
    # given
    complete(signed, courses["handbook"], manager)
    user = partner_user(tenant, partner=signed)
    client = web(user)
    page = client.get("/t/alpha/training/").content.decode()
    assert "Running large projects" in page[page.index('data-testid="courses"') :]

    # when
    response = client.post(
        "/t/alpha/training/completions/",
        {"course": courses["projects"].pk, "person": "Jo Silva", "completed_on": str(timezone.localdate())},
        follow=True,
    )

    # then
    assert response.status_code == 200
    completion = Completion.objects.for_tenant(tenant).get(course=courses["projects"])
    assert (completion.partner, completion.user, completion.person) == (signed, user, "Jo Silva")
    assert stage_of(signed) == "certified"
    html = response.content.decode()
    assert "you are certified" in html
    assert 'data-testid="certificate"' in html


def test_a_partner_users_completion_that_is_not_the_last_does_not_certify(
    web, tenant, signed, courses, partner_user
):
    # given
    client = web(partner_user(tenant, partner=signed))

    # when
    response = client.post(
        "/t/alpha/training/completions/",
        {"course": courses["handbook"].pk, "person": "Jo Silva", "completed_on": str(timezone.localdate())},
        follow=True,
    )

    # then
    assert Completion.objects.for_tenant(tenant).get().partner == signed
    assert stage_of(signed) == "signed"
    assert "Completion recorded." in response.content.decode()


def test_another_partners_completions_do_not_count(tenant, signed, courses, manager):
    # given: another partner completed everything
    other = PartnerFactory(tenant=tenant, stage="signed")
    certify(other, courses, manager)

    # when
    complete(signed, courses["handbook"], manager)

    # then
    assert stage_of(signed) == "signed"
    assert stage_of(other) == "certified"


# --- certification validity -----------------------------------------------------------


def review(tenant, today=None):

    with tenant_context(tenant):
        return certifications_review(tenant=tenant, today=today)


def test_partner_users_are_reminded_once_before_required_training_expires(
    tenant, signed, courses, manager, partner_user, mailoutbox, django_capture_on_commit_callbacks
):
    # given: certified; the projects course (12 months) runs out in 20 days, the handbook in two years
    user = partner_user(tenant, partner=signed)
    today = timezone.localdate()
    complete(signed, courses["handbook"], manager)
    complete(signed, courses["projects"], manager, completed_on=today - datetime.timedelta(days=345))
    expires = Completion.objects.for_tenant(tenant).get(course=courses["projects"]).expires_on

    # when: the daily review runs twice
    with django_capture_on_commit_callbacks(execute=True):
        first, second = review(tenant), review(tenant)

    # then: one e-mail naming the course and its date
    assert (first["reminded"], second["reminded"]) == (1, 0)
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert "Running large projects" in mailoutbox[0].body and "Sales handbook" not in mailoutbox[0].body
    assert stage_of(signed) == "certified" and expires > today


def test_a_course_completed_again_is_not_reminded(tenant, signed, courses, manager, partner_user, mailoutbox):
    partner_user(tenant, partner=signed)
    today = timezone.localdate()
    complete(signed, courses["projects"], manager, completed_on=today - datetime.timedelta(days=345))
    complete(signed, courses["projects"], manager)  # redone: valid another 12 months

    assert review(tenant)["reminded"] == 0 and not mailoutbox


def test_expired_required_training_takes_a_certified_partner_back_to_signed(courses, manager, tenant):
    # given: certified, but the projects course (valid 12 months) was completed 13 months ago
    certified = PartnerFactory(tenant=tenant, stage="certified")
    complete(certified, courses["handbook"], manager)
    complete(
        certified,
        courses["projects"],
        manager,
        completed_on=timezone.localdate() - datetime.timedelta(days=400),
    )

    # when
    result = review(tenant)

    # then
    assert result["lapsed"] == 1 and stage_of(certified) == "signed"
    change = StageChange.objects.for_tenant(tenant).filter(partner=certified).latest("id")
    assert (change.from_stage, change.to_stage) == ("certified", "signed") and "expired" in change.note


def test_a_programme_that_keeps_certification_leaves_the_stage(courses, manager, tenant, member):

    programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"certification_lapse": "keep"})
    certified = PartnerFactory(tenant=tenant, stage="certified")
    complete(certified, courses["handbook"], manager)
    complete(
        certified,
        courses["projects"],
        manager,
        completed_on=timezone.localdate() - datetime.timedelta(days=400),
    )

    result = review(tenant)

    assert result["lapsed"] == 0 and stage_of(certified) == "certified"


def test_required_training_feeds_willingness_and_the_partner_page_says_so(
    tenant, signed, courses, manager, web
):

    # given: one of the two required courses held; a prospect without training is not measured on it
    prospect = PartnerFactory(tenant=tenant, stage="prospecting")
    complete(signed, courses["handbook"], manager)

    # when
    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)

    # then
    nordwind = Partner.objects.for_tenant(tenant).get(pk=signed.pk)
    assert nordwind.tier_axes["inputs"]["training_score"] == 50.0
    assert nordwind.tier_axes["axes"]["willingness"]["measured"] == 50.0
    assert "training_score" not in Partner.objects.for_tenant(tenant).get(pk=prospect.pk).tier_axes["inputs"]
    page = web(manager).get(f"/t/alpha/partners/{signed.pk}/").content.decode()
    assert 'data-testid="willingness-inputs"' in page and "required training completed 50.0" in page


def test_required_training_about_to_expire_is_a_health_reason(tenant, signed, courses, manager):

    today = timezone.localdate()
    complete(signed, courses["handbook"], manager)
    complete(signed, courses["projects"], manager, completed_on=today - datetime.timedelta(days=350))

    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)

    reasons = Partner.objects.for_tenant(tenant).get(pk=signed.pk).health_reasons
    assert {
        "code": "training_expiring",
        "params": {
            "course": "Running large projects",
            "date": Completion.objects.for_tenant(tenant)
            .get(course=courses["projects"])
            .expires_on.isoformat(),
        },
    } in reasons


def test_a_required_course_added_after_certification_is_not_a_lapse(courses, manager, tenant):
    certified = PartnerFactory(tenant=tenant, stage="certified")
    complete(certified, courses["handbook"], manager)
    complete(certified, courses["projects"], manager)
    CourseFactory(tenant=tenant, name="New product line")  # required, never expired: nothing lapsed

    assert review(tenant)["lapsed"] == 0 and stage_of(certified) == "certified"
