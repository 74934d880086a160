"""Partner surveys: sending once to the eligible partners' people, one anonymous answer per link,
results per group with the minimum group size, the trend, and the API."""

import re

import pytest
from django.core import mail

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from surveys.models import PartnerSurvey, PartnerSurveyAnswer
from surveys.services.partner import partner_survey_create, partner_survey_send
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def links(outbox):
    return [re.search(r"/survey/\S+/", m.body).group(0) for m in outbox]


def test_a_round_goes_once_to_the_eligible_people_and_each_link_answers_once(
    tenant, manager, partner_user, client, django_capture_on_commit_callbacks
):
    north = PartnerFactory(
        tenant=tenant, name="Nordwind", region="North", stage="signed", operating_model="project"
    )
    south = PartnerFactory(tenant=tenant, name="Sudwind", region="South", stage="signed")
    lost = PartnerFactory(tenant=tenant, region="North", stage="lost")
    people = [partner_user(tenant, north) for _ in range(2)] + [
        partner_user(tenant, lost),
        partner_user(tenant, south),
    ]
    with tenant_context(tenant), django_capture_on_commit_callbacks(execute=True):
        survey = partner_survey_create(
            tenant=tenant,
            actor=manager,
            title="Programme 2026",
            regions=["North"],
            questions=[{"text": "Is the portal easy?", "kind": "yesno"}],
        )
        assert partner_survey_send(survey=survey, actor=manager) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:2])
    with tenant_context(tenant), pytest.raises(Exception, match="sent already"):
        partner_survey_send(survey=survey, actor=manager)

    url = links(mail.outbox)[0]
    page = client.get(url)
    assert page.status_code == 200 and "Is the portal easy?" in page.content.decode()
    assert client.post(url, {"score": "10", "q0": "yes", "comment": "Great"}).status_code == 200
    assert client.post(url, {"score": "0"}).status_code == 410
    with tenant_context(tenant):
        answer = PartnerSurveyAnswer.objects.for_tenant(tenant).get()
    assert (answer.score, answer.answers, answer.region, answer.operating_model) == (
        10,
        [True],
        "North",
        "project",
    )
    assert not {"user", "partner", "invitation"} & {f.name for f in PartnerSurveyAnswer._meta.fields}


def answers(tenant, survey, rows):
    with tenant_context(tenant):
        PartnerSurveyAnswer.objects.for_tenant(tenant).bulk_create(
            [PartnerSurveyAnswer(tenant=tenant, survey=survey, **row) for row in rows]
        )


def test_results_per_group_hide_groups_under_the_minimum(tenant, manager, web, api):
    with tenant_context(tenant):
        survey = partner_survey_create(tenant=tenant, actor=manager, title="Programme 2026")
        survey.sent_at = survey.created_at
        survey.save()
    north = [{"score": s, "region": "North", "tier": "A", "comment": f"north {s}"} for s in (10, 9, 8, 5, 3)]
    south = [{"score": s, "region": "South", "tier": "A", "comment": "south secret"} for s in (10, 2)]
    answers(tenant, survey, north + south)

    body = api(manager).get(f"/api/v1/tenants/{tenant.slug}/partner-surveys/{survey.pk}/results/").json()
    assert body["minimum"] == 5
    assert body["overall"] | {"comments": None} == {
        "key": "all",
        "label": "",
        "answers": 7,
        "hidden": False,
        "promoters": 3,
        "passives": 1,
        "detractors": 3,
        "nps": "0.0",
        "comments": None,
    }
    regions = {g["key"]: g for g in body["by_region"]}
    assert regions["North"]["promoters"] == 2 and regions["North"]["detractors"] == 2
    assert regions["North"]["nps"] == "0.0"
    assert regions["South"] == {"key": "South", "label": "South", "answers": 2, "hidden": True, "nps": None}

    page = web(manager).get(f"/t/{tenant.slug}/surveys/partners/{survey.pk}/").content.decode()
    assert "north 5" in page and "fewer than 5 answers" in page
    assert "south secret" not in page.split("By region")[1].split("By operating model")[0]

    trend = api(manager).get(f"/api/v1/tenants/{tenant.slug}/partner-surveys/trend/").json()
    assert [(p["answers"], p["nps"]) for p in trend] == [(7, "0.0")]


def test_the_minimum_is_the_tenants_and_the_api_creates_and_sends(tenant, manager, api, partner_user):
    tenant.programme_settings = {"surveys": {"survey_min_group": 2}}
    tenant.save()
    partner_user(tenant, PartnerFactory(tenant=tenant, stage="signed"))
    client = api(manager)
    created = client.post(
        f"/api/v1/tenants/{tenant.slug}/partner-surveys/",
        {"title": "Q3 pulse", "questions": [{"text": "What should we change?", "kind": "text"}]},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/tenants/{tenant.slug}/partner-surveys/{pk}/send/").json() == {"invited": 1}
    assert client.post(f"/api/v1/tenants/{tenant.slug}/partner-surveys/{pk}/send/").status_code == 400
    too_many = client.post(
        f"/api/v1/tenants/{tenant.slug}/partner-surveys/",
        {"title": "Too long", "questions": [{"text": f"Q{i}"} for i in range(6)]},
        format="json",
    )
    assert too_many.status_code == 400 and "questions" in too_many.json()
    with tenant_context(tenant):
        survey = PartnerSurvey.objects.for_tenant(tenant).get(pk=pk)
    answers(tenant, survey, [{"score": 9, "region": "North"}, {"score": 6, "region": "North"}])
    body = client.get(f"/api/v1/tenants/{tenant.slug}/partner-surveys/{pk}/results/").json()
    assert body["minimum"] == 2 and body["by_region"][0]["hidden"] is False
    assert body["by_region"][0]["promoters"] == 1 and body["by_region"][0]["detractors"] == 1


def test_partner_users_cannot_reach_partner_surveys(tenant, partner_user, api):
    seller = partner_user(tenant)
    assert api(seller).get(f"/api/v1/tenants/{tenant.slug}/partner-surveys/").status_code in (403, 404)
