"""The programme's random walk with contests in it: managers create contests on a period's scorecards
and close them, anyone may try; after every step, besides the programme's invariants, a contest's
prizes are awarded once (one award per contest, partner and prize; none before it closes; the
awards of a closed contest never change). A shorter budget than the programme's own walk."""

from __future__ import annotations

import os

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from prm.tenancy.capabilities import Capability as C
from rewards.contests.models import Contest, ContestAward

from .test_programme_walk import PERIOD, PICK, ProgrammeWalk, _pick, mostly, walk
from .test_programme_walk import walk_world as walk_world  # (the same world, as a fixture here)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WALK_CONTEST_EXAMPLES", "25"))


class ContestWalk(ProgrammeWalk):
    def __init__(self):
        super().__init__()
        self.contests: list[int] = []
        self.awarded: dict[int, int] = {}  # closed contest -> its awards when it closed

    @rule(who=mostly("manager", "admin"), period=PERIOD, ranks=st.sampled_from([1, 2, 5]))
    def create_contest(self, who, period, ranks):
        body = {
            "name": f"Contest {self.record.step}",
            "period": period,
            "measure": "score",
            "prizes": [
                {
                    "label": "Podium",
                    "basis": "rank",
                    "rank_from": 1,
                    "rank_to": ranks,
                    "kind": "points",
                    "points": 100,
                },
                {"label": "Over 50", "basis": "threshold", "threshold": "50", "kind": "points", "points": 10},
            ],
        }
        path = self.as_outsider("contests/") if who == "outsider" else "contests/"
        response = self.act(who, C.RUN_CONTESTS, "post", path, body)
        if response.status_code == 201:
            self.contests.append(response.json()["id"])

    @precondition(lambda self: self.contests)
    @rule(who=mostly("manager", "admin"), pick=PICK)
    def close_a_contest(self, who, pick):
        contest_id = _pick(self.contests, pick)
        path = f"contests/{contest_id}/close/"
        response = self.act(
            who, C.RUN_CONTESTS, "post", self.as_outsider(path) if who == "outsider" else path
        )
        if contest_id in self.awarded:
            assert response.status_code >= 400, "a closed contest closed again"
        elif response.status_code == 200:
            self.awarded[contest_id] = len(response.json())

    @invariant()
    def a_contests_prizes_are_awarded_once(self):
        tenant = self.w.tenant
        awards = list(
            ContestAward.objects.for_tenant(tenant).values_list("contest_id", "partner_id", "prize_id")
        )
        assert len(awards) == len(set(awards)), "a prize awarded twice to one partner"
        open_ids = set(
            Contest.objects.for_tenant(tenant).filter(closed_at__isnull=True).values_list("pk", flat=True)
        )
        assert not [a for a in awards if a[0] in open_ids], "awards of a contest not closed"
        for contest_id, count in self.awarded.items():
            assert sum(1 for a in awards if a[0] == contest_id) == count, "a closed contest's awards changed"


def test_contests_walk_with_the_programme_and_hold(walk_world, django_capture_on_commit_callbacks):
    ContestWalk.world = walk_world
    ContestWalk.capture = staticmethod(django_capture_on_commit_callbacks)
    walk(ContestWalk, examples=EXAMPLES)
