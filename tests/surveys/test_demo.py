"""The demo: a customer survey answered through its link, and a partner survey round whose results
show promoters, passives and detractors, which the demo partner user is invited to answer."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from surveys import results
from surveys.models import CustomerSurvey, PartnerSurvey

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_answered_customer_survey_and_a_partner_round(client):
    call_command("seed_demo", verbosity=0)
    tenant = Tenant.objects.get(slug="acme")
    with tenant_context(tenant):
        answered = CustomerSurvey.objects.for_tenant(tenant).filter(answered_at__isnull=False).get()
        assert answered.result is not None and answered.result.score == answered.score == 9
        survey = PartnerSurvey.objects.for_tenant(tenant).get()
        overall = results.survey_results(survey)["overall"]
    assert not overall.hidden
    assert overall.promoters > 0 and overall.passives > 0 and overall.detractors > 0

    # the demo partner user has the round to answer in the portal
    client.force_login(
        get_user_model().objects.get(username="acme-partner"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    mine = client.get("/t/acme/surveys/mine/").content.decode()
    assert survey.title in mine and f"/t/acme/surveys/mine/{survey.pk}/" in mine
