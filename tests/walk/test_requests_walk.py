"""The programme's random walk with partner requests in it: partner users raise requests, ideas and
complaints, the vendor answers them, either side closes them, and partner users reply (which opens
them again); anyone may try, a partner user also on the other partner's request (always 404, and
nothing changes). A partner user's list holds only its own partner's requests. After every step,
besides the programme's invariants (``invariants.requests`` among them: a request's status agrees
with its thread, and only its partner's users write for it). A shorter budget than the programme's
own walk."""

from __future__ import annotations

import os

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from conversations.models import PartnerRequest
from prm.tenancy.capabilities import Capability as C

from .test_programme_walk import PICK, ProgrammeWalk, _pick, mostly, walk
from .test_programme_walk import walk_world as walk_world  # (the same world, as a fixture here)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WALK_REQUEST_EXAMPLES", "10"))
CATEGORY = st.sampled_from(["request", "idea", "complaint", "praise"])  # the last one is not a category
ANSWERERS = mostly("admin", "lead", "manager")


class RequestWalk(ProgrammeWalk):
    def __init__(self):
        super().__init__()
        self.partner_requests: list[int] = []

    def _owner_of(self, request_id: int) -> int:
        return PartnerRequest.objects.for_tenant(self.w.tenant).get(pk=request_id).partner_id

    def _on_a_request(self, who, pick, capability, method, action, body=None):
        """``who`` acts on a request; a partner user on another partner's request meets 404."""
        request_id = _pick(self.partner_requests, pick)
        path = self._path(who, f"requests/{request_id}/{action}/")
        response = self.act(who, capability, method, path, body)
        actor = self.w.actor(who)
        if actor.partner_id and self._owner_of(request_id) != actor.partner_id:
            assert response.status_code == 404, (
                f"{who} reached another partner's request: {response.status_code}"
            )
        return response

    def _reads_its_own(self, who):
        """A partner user's list holds its own partner's requests, all of them."""
        actor = self.w.actor(who)
        response = self.act(who, C.READ, "get", self._path(who, "requests/?page_size=200"))
        if response.status_code != 200 or not actor.partner_id:
            return
        listed = {row["id"]: row["partner"] for row in response.json()["results"]}
        own = set(
            PartnerRequest.objects.for_tenant(self.w.tenant)
            .filter(partner_id=actor.partner_id)
            .values_list("pk", flat=True)
        )
        assert set(listed) == own and set(listed.values()) <= {actor.partner_id}, (
            f"{who} sees requests not its partner's"
        )

    @rule(who=mostly("north_user", "south_user"), category=CATEGORY)
    def raise_a_request(self, who, category):
        body = {"category": category, "subject": f"Step {self.record.step}", "text": "Please look into it."}
        response = self.act(who, C.RAISE_REQUEST, "post", self._path(who, "requests/"), body)
        if category == "praise":
            assert response.status_code >= 400, "a request of no category raised"
        if response.status_code == 201:
            raised = response.json()
            assert raised["partner"] == self.w.actor(who).partner_id, "raised for another partner"
            assert raised["status"] == "open"
            self.partner_requests.append(raised["id"])
        self._reads_its_own(who)

    @precondition(lambda self: self.partner_requests)
    @rule(who=ANSWERERS, pick=PICK)
    def answer_a_request(self, who, pick):
        before = PartnerRequest.objects.for_tenant(self.w.tenant).get(pk=_pick(self.partner_requests, pick))
        response = self._on_a_request(
            who, pick, C.REPLY_REQUEST, "post", "messages", {"text": "Here is what we will do."}
        )
        if response.status_code == 201 and not self.w.actor(who).partner_id:
            assert before.status != "closed", "the vendor wrote in a closed request"

    @precondition(lambda self: self.partner_requests)
    @rule(who=mostly("north_user", "south_user"), pick=PICK)
    def reply_to_a_request(self, who, pick):
        """The partner's side writes (only the request's own partner: the other one meets 404); an
        answered or closed request is open again."""
        response = self._on_a_request(
            who, pick, C.REPLY_REQUEST, "post", "messages", {"text": "Thanks, but…"}
        )
        if response.status_code == 201 and self.w.actor(who).partner_id:
            request = PartnerRequest.objects.for_tenant(self.w.tenant).get(
                pk=_pick(self.partner_requests, pick)
            )
            assert request.status == "open", "a partner's reply left the request " + request.status

    @precondition(lambda self: self.partner_requests)
    @rule(who=mostly("north_user", "south_user", "admin", "lead"), pick=PICK)
    def close_a_request(self, who, pick):
        before = PartnerRequest.objects.for_tenant(self.w.tenant).get(pk=_pick(self.partner_requests, pick))
        response = self._on_a_request(who, pick, C.REPLY_REQUEST, "post", "close")
        if before.status == "closed":
            assert response.status_code >= 400, "a closed request closed again"


def test_requests_walk_with_the_programme_and_hold(walk_world, django_capture_on_commit_callbacks):
    RequestWalk.world = walk_world
    RequestWalk.capture = staticmethod(django_capture_on_commit_callbacks)
    walk(RequestWalk, examples=EXAMPLES)
