"""Journeys: a candidate applies on the public page; a partner completes its training and downloads the certificate."""

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from onboarding.models import Course
from partners.models import Partner
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import CompletionFactory, CourseFactory, PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_applies_on_the_public_page(page, tenant, member):
    # given
    cache.clear()
    member(tenant, Role.CHANNEL_MANAGER, username="carla")
    # when
    page.goto("/apply/alpha/")
    assert "Alpha Robotics" in page.locator("h1").inner_text()
    page.fill("input[name=company]", "Harbour Automation")
    page.fill("input[name=contact_name]", "Rita Sousa")
    page.fill("input[name=email]", "rita@harbour.example")
    page.fill("input[name=region]", "South")
    page.fill("textarea[name=message]", "We integrate robots for the food industry.")
    page.click("text=Send the application")
    # then
    assert "Harbour Automation" in page.locator("[data-testid=applied]").inner_text()
    with tenant_context(tenant):
        partner = Partner.objects.get(name="Harbour Automation")
        assert (partner.source, partner.stage, partner.owner.username) == ("inbound", "prospecting", "carla")


def test_a_partner_completes_its_training_and_downloads_the_certificate(
    page, login, tenant, partner_user, tmp_path
):
    # given: a signed partner with one of two required courses done
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    done, last = (
        CourseFactory(tenant=tenant, name="Sales handbook"),
        CourseFactory(tenant=tenant, name="Consultative selling"),
    )
    CompletionFactory(tenant=tenant, partner=partner, course=done)
    user = partner_user(tenant, partner=partner)
    user.username = "nordwind"
    user.save()
    # when
    login(page, "nordwind")
    page.click("nav >> text=Training")
    assert "Consultative selling" in page.locator("[data-testid=courses]").inner_text()
    page.select_option("select[name=course]", str(last.pk))
    page.fill("input[name=completed_on]", "2026-11-20")
    page.click("text=Record it")
    page.wait_for_load_state("networkidle")
    # then
    assert "you are certified" in page.locator(".messages").inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=certificate]")
    path = tmp_path / "certificate.pdf"
    download.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Nordwind Systems" in text and "Certified partner" in text
    with tenant_context(tenant):
        assert Partner.objects.get(pk=partner.pk).stage == "certified"
        assert Course.objects.count() == 2
