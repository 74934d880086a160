"""Surveys in the browser: a customer answers from the e-mailed link on a phone, without an account
and without JavaScript; a manager reads a partner survey round's results, small groups hidden."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import SatisfactionResult
from surveys.models import PartnerSurveyAnswer
from surveys.services.customer import customer_surveys_send
from surveys.services.partner import partner_survey_create
from tests.factories import PartnerFactory, ProductRegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_answers_on_a_phone_without_javascript(browser, live_server, tenant):
    tenant.programme_settings = {
        "surveys": {"customer_survey_after": "registration", "customer_survey_delay_days": 7}
    }
    tenant.save()
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    ProductRegistrationFactory(
        tenant=tenant,
        partner=partner,
        date=timezone.localdate() - timezone.timedelta(days=10),
        customer_consent=True,
        customer_email="buyer@contoso.example",
    )
    with tenant_context(tenant):
        customer_surveys_send(tenant=tenant, today=timezone.localdate())
    path = re.search(r"https?://\S+?(/survey/\S+/)", mail.outbox[-1].body).group(1)

    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto(path)
        assert "Nordwind Systems" in page.content()
        page.check("input[name=score][value='9']")
        page.fill("textarea[name=comment]", "Installed in a day")
        page.click("[data-testid=survey-form] button[type=submit]")
        assert page.locator("[data-testid=survey-thanks]").is_visible()
        again = page.goto(path)
        assert again.status == 410
    finally:
        context.close()

    with tenant_context(tenant):
        result = SatisfactionResult.objects.for_tenant(tenant).get()
    assert (result.partner, result.score, result.comment) == (partner, 9, "Installed in a day")


def test_a_manager_reads_a_rounds_results_with_small_groups_hidden(page, login, tenant, member, partner_user):
    manager = member(tenant, Role.CHANNEL_MANAGER, username="mia")
    north = PartnerFactory(tenant=tenant, name="Nordwind Systems", region="North")
    nordwind = partner_user(tenant, north)
    nordwind.username = "nordwind"
    nordwind.save()
    with tenant_context(tenant):
        survey = partner_survey_create(tenant=tenant, actor=manager, title="Programme 2026")
        survey.sent_at = survey.created_at
        survey.save()
        survey.invitations.create(
            tenant=tenant,
            partner=north,
            user=nordwind,
            nonce="n" * 32,
            expires_on=timezone.localdate() + timezone.timedelta(days=7),
        )
        rows = [("North", s, f"north {s}") for s in (10, 9, 8, 5, 3)] + [("South", 2, "south secret")]
        PartnerSurveyAnswer.objects.for_tenant(tenant).bulk_create(
            [
                PartnerSurveyAnswer(tenant=tenant, survey=survey, score=s, region=r, tier="A", comment=c)
                for r, s, c in rows
            ]
        )

    login(page, "mia")
    page.goto(f"/t/{tenant.slug}/surveys/partners/{survey.pk}/")
    overall = page.locator("[data-testid=overall]").inner_text()
    assert "6" in overall
    body = page.locator("main").inner_text()
    assert "north 5" in body and "fewer than 5 answers" in body
    assert "south secret" not in body.split("By region")[1].split("By operating model")[0]

    # a partner user answers the round inside the portal, once
    page.context.clear_cookies()
    login(page, "nordwind")
    page.click("nav >> text=My surveys")
    page.locator("[data-testid=my-surveys]").get_by_role("link", name="Answer", exact=True).click()
    page.check("input[name=score][value='8']")
    page.click("[data-testid=survey-form] button[type=submit]")
    assert "Answered" in page.locator("[data-testid=my-surveys]").inner_text()
    with tenant_context(tenant):
        assert PartnerSurveyAnswer.objects.for_tenant(tenant).filter(score=8, tier="").count() == 1
