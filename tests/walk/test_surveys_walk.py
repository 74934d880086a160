"""The programme's random walk with surveys in it: managers create and send partner survey rounds,
the daily job surveys customers after their registered products, and the people asked answer
through their e-mailed links (no account) or, partner users, in the portal (``my-surveys/``);
anyone may try. A used link is 410 and a second answer in the portal 409, and neither changes
anything; a partner user sees only the rounds it was invited to. After every step, besides the
programme's invariants (``invariants.surveys`` among them: an answer counts once, the NPS is the
answers'), checked with groups of one shown so that every round's NPS is compared. A shorter budget
than the programme's own walk."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from prm.tenancy.capabilities import Capability as C
from prm.tenancy.context import tenant_context
from surveys.models import CustomerSurvey, PartnerSurveyInvitation
from surveys.services.customer import customer_surveys_send
from surveys.tokens import CUSTOMER, read_token
from tests.factories import ProductRegistrationFactory

from .invariants import fingerprint
from .test_programme_walk import PICK, SIGNED, ProgrammeWalk, _pick, mostly, walk
from .test_programme_walk import walk_world as walk_world  # (the same world, as a fixture here)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WALK_SURVEY_EXAMPLES", "10"))
SCORE = st.integers(min_value=0, max_value=10)
LINK = re.compile(r"/survey/[^/\s]+/")


class SurveyWalk(ProgrammeWalk):
    def __init__(self):
        super().__init__()
        tenant = self.w.tenant
        tenant.programme_settings = {
            **(tenant.programme_settings or {}),
            "surveys": {
                "survey_min_group": 1,
                "customer_survey_after": "registration",
                "customer_survey_delay_days": 7,
            },
        }
        tenant.save(update_fields=["programme_settings"])
        self.rounds: list[int] = []
        self.links: list[str] = []
        self.registrations = 0

    def _new_links(self, since: int) -> None:
        self.links += [LINK.search(m.body).group(0) for m in mail.outbox[since:] if LINK.search(m.body)]

    @rule(who=mostly("manager", "admin"))
    def send_a_round(self, who):
        body = {"title": f"Round {self.record.step}", "questions": [{"text": "Easy?", "kind": "yesno"}]}
        created = self.act(who, C.RUN_SURVEYS, "post", self._path(who, "partner-surveys/"), body)
        if created.status_code != 201:
            return
        survey_id = created.json()["id"]
        since = len(mail.outbox)
        sent = self.act(who, C.RUN_SURVEYS, "post", self._path(who, f"partner-surveys/{survey_id}/send/"))
        invited = PartnerSurveyInvitation.objects.for_tenant(self.w.tenant).filter(survey_id=survey_id)
        assert sent.status_code == 200 and sent.json()["invited"] == invited.count()
        self.rounds.append(survey_id)
        self._new_links(since)
        again = self.act(who, C.RUN_SURVEYS, "post", f"partner-surveys/{survey_id}/send/")
        assert again.status_code == 400, "a round sent twice"

    @rule(partner=SIGNED)
    def the_daily_job_surveys_a_customer(self, partner):
        """A customer who agreed to be asked registered a product three weeks ago; the job runs."""
        self.registrations += 1
        tenant = self.w.tenant
        ProductRegistrationFactory(
            tenant=tenant,
            partner=self.w.partners[partner],
            customer=f"Customer {self.registrations}",
            date=timezone.localdate() - datetime.timedelta(days=21),
            customer_consent=True,
            customer_email=f"buyer{self.registrations}@customer.example",
        )
        since = len(mail.outbox)
        with tenant_context(tenant), type(self).capture(execute=True):
            sent = customer_surveys_send(tenant=tenant)
        assert sent["sent"] == 1, "the customer surveyed once, after the delay"
        self._new_links(since)
        self.dirty = True

    def _answered(self, link: str) -> bool:
        kind, _tenant, pk, _nonce = read_token(link.split("/")[2])
        model = CustomerSurvey if kind == CUSTOMER else PartnerSurveyInvitation
        return model.objects.for_tenant(self.w.tenant).get(pk=pk).answered_at is not None

    @precondition(lambda self: self.links)
    @rule(pick=PICK, score=SCORE)
    def answer_through_a_link(self, pick, score):
        """Whoever holds the link answers, without an account; a used link answers 410."""
        link = _pick(self.links, pick)
        used = self._answered(link)
        before = fingerprint(self.w.tenant)
        with type(self).capture(execute=True):
            response = Client().post(link, {"score": str(score), "comment": "From the walk"})
        self.record.step += 1
        if used:
            assert response.status_code == 410, f"a used link answered {response.status_code}"
            assert fingerprint(self.w.tenant) == before, "a second answer through a link changed data"
        else:
            assert response.status_code == 200, f"an open link answered {response.status_code}"
            self.dirty = True

    def _reads_its_own(self, who):
        """A partner user lists the rounds it was invited to, and only those."""
        actor = self.w.actor(who)
        response = self.act(who, C.PARTNER_HOME, "get", self._path(who, "my-surveys/?page_size=200"))
        if response.status_code != 200:
            return
        mine = set(
            PartnerSurveyInvitation.objects.for_tenant(self.w.tenant)
            .filter(user=actor.user)
            .values_list("survey_id", flat=True)
        )
        assert {r["id"] for r in response.json()["results"]} == mine, f"{who} sees rounds not its own"

    @precondition(lambda self: self.rounds)
    @rule(who=mostly("north_user", "south_user"), pick=PICK, score=SCORE)
    def answer_in_the_portal(self, who, pick, score):
        survey_id = _pick(self.rounds, pick)
        actor = self.w.actor(who)
        invitation = (
            PartnerSurveyInvitation.objects.for_tenant(self.w.tenant)
            .filter(survey_id=survey_id, user=actor.user)
            .first()
        )
        self._reads_its_own(who)
        path = self._path(who, f"my-surveys/{survey_id}/answer/")
        response = self.act(who, C.PARTNER_HOME, "post", path, {"score": score})
        if invitation is not None and invitation.answered_at is not None:
            assert response.status_code == 409, f"{who} answered a round twice: {response.status_code}"
        elif invitation is not None:
            assert response.status_code == 200, f"{who} could not answer its round: {response.status_code}"
        elif actor.partner_id:
            assert response.status_code == 404, (
                f"{who} answered a round it was not asked: {response.status_code}"
            )


def test_surveys_walk_with_the_programme_and_hold(walk_world, django_capture_on_commit_callbacks):
    SurveyWalk.world = walk_world
    SurveyWalk.capture = staticmethod(django_capture_on_commit_callbacks)
    walk(SurveyWalk, examples=EXAMPLES)
