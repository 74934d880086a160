"""A partner user answers a partner survey inside the portal (*My surveys*, and ``my-surveys/`` in
the API) as well as through its e-mailed link: once either way, anonymously, only its own round;
and every answer, customer or partner, is announced as the ``survey.answered`` webhook event."""

import datetime
import re

import pytest
from django.core import mail

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.webhooks.models import Event
from surveys.models import PartnerSurveyAnswer
from surveys.services.customer import customer_survey_answer
from surveys.services.partner import partner_survey_create, partner_survey_send
from tests.factories import CustomerSurveyFactory, EndpointFactory, PartnerFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/tenants/alpha/my-surveys/"
PAGE = "/t/alpha/surveys/mine/"


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def sent_round(tenant, manager, capture, **fields):
    with tenant_context(tenant), capture(execute=True):
        survey = partner_survey_create(
            tenant=tenant,
            actor=manager,
            title="Programme 2026",
            questions=[{"text": "Is the portal easy?", "kind": "yesno"}],
            **fields,
        )
        partner_survey_send(survey=survey, actor=manager)
    return survey


def test_a_partner_user_answers_in_the_portal_once_and_its_link_is_then_used(
    tenant, manager, partner_user, web, client, django_capture_on_commit_callbacks
):
    # given: a round sent to Nordwind's people
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind", region="North", stage="signed")
    user = partner_user(tenant, nordwind)
    survey = sent_round(tenant, manager, django_capture_on_commit_callbacks)
    link = re.search(r"/survey/\S+/", mail.outbox[-1].body).group(0)
    EndpointFactory(tenant=tenant, events=["survey.answered"])
    portal = web(user)

    # when: it opens My surveys and answers there
    listed = portal.get(PAGE).content.decode()
    form = portal.get(f"{PAGE}{survey.pk}/").content.decode()
    bad = portal.post(f"{PAGE}{survey.pk}/", {"score": "11"})
    answered = portal.post(f"{PAGE}{survey.pk}/", {"score": "9", "q0": "yes", "comment": "Clear rules"})
    again = portal.post(f"{PAGE}{survey.pk}/", {"score": "0"})

    # then
    assert "Programme 2026" in listed and f"{PAGE}{survey.pk}/" in listed
    assert "Is the portal easy?" in form and form.count('name="score"') == 11
    assert bad.status_code == 400
    assert answered.status_code == 302 and "Answered" in portal.get(PAGE).content.decode()
    assert again.status_code == 400 and "answered this survey already" in again.content.decode()
    assert client.get(link).status_code == 410
    with tenant_context(tenant):
        answer = PartnerSurveyAnswer.objects.for_tenant(tenant).get()
        event = Event.objects.for_tenant(tenant).get(name="survey.answered")
    assert (answer.score, answer.answers, answer.region, answer.comment) == (
        9,
        [True],
        "North",
        "Clear rules",
    )
    assert event.data == {
        "kind": "partner",
        "survey": survey.pk,
        "title": "Programme 2026",
        "invited": 1,
        "answered": 1,
    }


def test_the_api_lists_and_answers_only_ones_own_rounds(
    tenant, manager, partner_user, api, django_capture_on_commit_callbacks
):
    north = PartnerFactory(tenant=tenant, region="North", stage="signed")
    south = PartnerFactory(tenant=tenant, region="South", stage="signed")
    mine, theirs = partner_user(tenant, north), partner_user(tenant, south)
    for_north = sent_round(tenant, manager, django_capture_on_commit_callbacks, regions=["North"])
    client = api(mine)

    listed = client.get(API).json()["results"]
    refused = client.post(f"{API}{for_north.pk}/answer/", {"score": 12}, format="json")
    answered = client.post(
        f"{API}{for_north.pk}/answer/", {"score": 7, "answers": [False], "comment": ""}, format="json"
    )
    twice = client.post(f"{API}{for_north.pk}/answer/", {"score": 7}, format="json")

    assert [(r["id"], r["state"]) for r in listed] == [(for_north.pk, "open")]
    assert listed[0]["questions"] == [{"text": "Is the portal easy?", "kind": "yesno"}]
    assert refused.status_code == 400 and "score" in refused.json()
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    assert twice.status_code == 409
    # the South user was not invited: the round is not its own
    assert api(theirs).get(API).json()["results"] == []
    assert api(theirs).post(f"{API}{for_north.pk}/answer/", {"score": 1}, format="json").status_code == 404
    assert api(manager).get(API).status_code == 403
    with tenant_context(tenant):
        assert PartnerSurveyAnswer.objects.for_tenant(tenant).count() == 1


def test_an_expired_invitation_is_listed_as_expired_and_refused(
    tenant, manager, partner_user, api, django_capture_on_commit_callbacks
):
    user = partner_user(tenant, PartnerFactory(tenant=tenant, stage="signed"))
    survey = sent_round(tenant, manager, django_capture_on_commit_callbacks)
    with tenant_context(tenant):
        survey.invitations.update(expires_on=datetime.date(2020, 1, 1))

    assert api(user).get(f"{API}{survey.pk}/").json()["state"] == "expired"
    assert api(user).post(f"{API}{survey.pk}/answer/", {"score": 8}, format="json").status_code == 409


def test_a_customer_answer_is_announced_with_its_score(tenant):
    EndpointFactory(tenant=tenant, events=["survey.answered"])
    survey = CustomerSurveyFactory(tenant=tenant, partner=PartnerFactory(tenant=tenant, name="Nordwind"))
    with tenant_context(tenant):
        customer_survey_answer(survey=survey, score=10, comment="Fast")
        event = Event.objects.for_tenant(tenant).get(name="survey.answered")
    assert event.data["kind"] == "customer" and event.data["id"] == survey.pk
    assert (event.data["score"], event.data["group"], event.data["partner_name"]) == (
        10,
        "promoter",
        "Nordwind",
    )
