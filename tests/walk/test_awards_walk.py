"""The programme's random walk with recognition in it: managers grant awards (to a partner, sometimes
to one of its people) and revoke them, anyone may try; after every step, besides the programme's
invariants, a category's award for a period is held by a partner at most once while it stands, every
recognised person is a user of the awarded partner, and every revoked award says why (and the audit
trail has it). A shorter budget than the programme's own walk."""

from __future__ import annotations

import os

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from partners.models import PartnerUser
from prm.audit.models import AuditEntry
from prm.tenancy.capabilities import Capability as C
from rewards.recognition.defaults import ensure_award_categories
from rewards.recognition.models import Award, AwardCategory

from .test_programme_walk import PICK, SIGNED, ProgrammeWalk, _pick, mostly, walk
from .test_programme_walk import walk_world as walk_world  # (the same world, as a fixture here)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WALK_AWARD_EXAMPLES", "20"))


class AwardWalk(ProgrammeWalk):
    def __init__(self):
        super().__init__()
        ensure_award_categories(self.w.tenant)
        self.categories = list(AwardCategory.objects.for_tenant(self.w.tenant).values_list("pk", flat=True))
        self.awards: list[int] = []

    @rule(
        who=mostly("manager", "admin"),
        partner=SIGNED,
        pick=PICK,
        period=st.sampled_from(["2025", "2026-Q1", "2026-07"]),
        with_person=st.booleans(),
        someone_elses=st.booleans(),
    )
    def grant_an_award(self, who, partner, pick, period, with_person, someone_elses):
        body = {
            "category": _pick(self.categories, pick),
            "period": period,
            "partner": self.partner_id(partner),
            "citation": f"Step {self.record.step}",
        }
        if with_person:  # its own user, or (someone_elses) the other partner's: refused
            other = "south" if partner == "north" else "north"
            body["person"] = (
                PartnerUser.objects.for_tenant(self.w.tenant)
                .filter(partner_id=self.partner_id(other if someone_elses else partner))
                .values_list("pk", flat=True)
                .first()
            )
        path = self.as_outsider("awards/") if who == "outsider" else "awards/"
        response = self.act(who, C.GRANT_AWARDS, "post", path, body)
        if with_person and someone_elses:
            assert response.status_code >= 400, "a person of another partner recognised"
        if response.status_code == 201:
            self.awards.append(response.json()["id"])

    @precondition(lambda self: self.awards)
    @rule(who=mostly("manager", "admin"), pick=PICK, reason=st.sampled_from(["", "Granted by mistake"]))
    def revoke_an_award(self, who, pick, reason):
        path = f"awards/{_pick(self.awards, pick)}/revoke/"
        response = self.act(
            who,
            C.GRANT_AWARDS,
            "post",
            self.as_outsider(path) if who == "outsider" else path,
            {"reason": reason},
        )
        if not reason:
            assert response.status_code >= 400, "revoked without a reason"

    @invariant()
    def awards_are_held_once_by_the_right_people_and_revoked_with_a_reason(self):
        tenant = self.w.tenant
        awards = list(Award.objects.for_tenant(tenant).select_related("person"))
        standing = [(a.category_id, a.period, a.partner_id) for a in awards if a.revoked_at is None]
        assert len(standing) == len(set(standing)), "one award held twice by a partner for a period"
        assert all(a.person is None or a.person.partner_id == a.partner_id for a in awards), (
            "a person recognised with another partner's award"
        )
        revoked = [a for a in awards if a.revoked_at is not None]
        assert all(a.revoke_reason.strip() for a in revoked), "an award revoked without a reason"
        audited = set(
            AuditEntry.objects.for_tenant(tenant)
            .filter(action="award.revoked")
            .values_list("target_id", flat=True)
        )
        assert {str(a.pk) for a in revoked} <= audited, "a revocation not in the audit trail"


def test_awards_walk_with_the_programme_and_hold(walk_world, django_capture_on_commit_callbacks):
    AwardWalk.world = walk_world
    AwardWalk.capture = staticmethod(django_capture_on_commit_callbacks)
    walk(AwardWalk, examples=EXAMPLES)
