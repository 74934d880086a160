"""A random walk of the whole programme, over the API, as every role: admin, manager, regional lead,
two finance users, a user of each of two partners, and an admin of another tenant.

Each step is something a person does (book a sale, register, decide, close or withdraw a deal, move a
partner, ask for and claim MDF, compute, adjust, acknowledge, approve, export and pay a run, edit a
rule or a tier benefit, recompute tiers and scorecards, read, probe another tenant or partner), taken
by any of them, allowed or not. A step the capability table does not allow answers 403/404 and
changes nothing; any refused step changes nothing; no answer is ever 5xx. After every step the
invariants of ``invariants.py`` are checked. A failure prints the shrunk sequence of steps.

CI runs a fixed budget, derandomised (the same walks every run); ``make walk`` walks longer, with
new random walks each time: ``WALK_EXAMPLES``, ``WALK_STEPS`` and ``WALK_SEED`` set the budget.
"""

from __future__ import annotations

import os
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from incentives.models import IncentiveRule, MdfClaim, MdfRequest, PayoutLine, PayoutRun
from partners.models import DealRegistration
from prm.tenancy.capabilities import Capability as C
from prm.tenancy.capabilities import allows
from tests.factories import MembershipFactory, real_pdf

from .invariants import Record, check_all, fingerprint, run_snapshot
from .world import CUSTOMERS, PERIODS, build_world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WALK_EXAMPLES", "150"))
STEPS = int(os.environ.get("WALK_STEPS", "30"))
RANDOM = bool(os.environ.get("WALK_RANDOM"))  # make walk: new walks each run

ANYONE = st.sampled_from(
    ["admin", "manager", "lead", "finance", "finance2", "north_user", "south_user", "outsider"]
)
PARTNER_USERS = st.sampled_from(["north_user", "south_user"])


def mostly(*names):
    """Half the time one of those the step is meant for, half the time anyone at all."""
    return st.one_of(st.sampled_from(names), ANYONE)


SELLERS = mostly("manager", "admin")
DEALERS = mostly("north_user", "south_user", "manager")
DECIDERS = mostly("manager", "lead", "admin")
MONEY_PEOPLE = mostly("finance", "finance2", "admin")
SIGNED = st.sampled_from(["north", "south"])
PERIOD = st.sampled_from(sorted(PERIODS))
MONEY = st.sampled_from(["0.01", "99.99", "1000.00", "12500.00", "999999.99", "-250.00"])
PICK = st.integers(min_value=0, max_value=50)  # which of the objects made so far (modulo their number)
STAGES = st.sampled_from(["first_talks", "selection", "strategic", "signed", "certified", "dormant", "lost"])


def _pick(items: list, index: int):
    return items[index % len(items)] if items else None


class ProgrammeWalk(RuleBasedStateMachine):
    world = None  # set by the test: built once, each walk runs in a savepoint rolled back at its end
    capture = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.w = type(self).world
        self.record = Record()
        self.deals: list[int] = []
        self.requests: list[int] = []
        self.claims: list[int] = []
        self.sales = 0
        self.computed: set[str] = set()  # periods with a run
        self.dirty = True  # something changed since the invariants were last checked

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- how a step is taken and judged ------------------------------------------------

    def act(self, who: str, capability, method: str, path: str, data=None, fmt="json"):
        """``who`` calls the API; refused → nothing changed; outside the table → 403/404."""
        actor = self.w.actor(who)
        before = fingerprint(self.w.tenant)
        with type(self).capture(execute=True):
            response = actor.call(method, path, data, fmt)
        self.record.step += 1
        event(
            f"{method.upper()} {path.split('/')[-2] if path.endswith('/') else path} → {response.status_code}"
        )
        outsider = actor.tenant_slug != self.w.tenant.slug
        if outsider or (capability is not None and not allows(actor.role, capability)):
            assert response.status_code in (403, 404), (
                f"{who} ({actor.role}) may not {capability}: {method.upper()} {path} → {response.status_code}"
            )
        if response.status_code >= 400:
            assert fingerprint(self.w.tenant) == before, (
                f"{who}: refused {method.upper()} {path} changed data"
            )
        elif method != "get":
            self.dirty = True
        return response

    def as_outsider(self, path: str) -> str:
        """The path as the other tenant's admin would aim it at this tenant's object."""
        return f"/api/v1/tenants/{self.w.tenant.slug}/{path}"

    def partner_id(self, key: str) -> int:
        return self.w.partners[key].pk

    def run_of(self, period: str):
        return PayoutRun.objects.for_tenant(self.w.tenant).filter(period=period).first()

    # --- sales and deals ---------------------------------------------------------------

    @rule(who=SELLERS, partner=SIGNED, period=PERIOD, customer=st.sampled_from(CUSTOMERS), amount=MONEY)
    def book_sale(self, who, partner, period, customer, amount):
        self.sales += 1
        start = PERIODS[period][0]
        body = {
            "external_id": f"W-{self.record.step}-{self.sales}",
            "partner": self.partner_id(partner),
            "date": start[:8] + "15",
            "product": "RX-200",
            "amount": amount,
            "customer": customer,
        }
        path = self.as_outsider("sales/") if who == "outsider" else "sales/"
        self.act(who, C.RECORD_SALES, "post", path, body)

    @rule(who=SELLERS, partner=SIGNED, period=PERIOD, amount=MONEY)
    def book_dollar_sale(self, who, partner, period, amount):
        """A sale in dollars, converted (or not, without a rate yet) when it is booked."""
        self.sales += 1
        body = {
            "external_id": f"W-{self.record.step}-{self.sales}",
            "partner": self.partner_id(partner),
            "date": PERIODS[period][0][:8] + "15",
            "product": "RX-200",
            "amount": amount,
            "currency": "USD",
        }
        self.act(who, C.RECORD_SALES, "post", self._path(who, "sales/"), body)

    @rule(
        who=MONEY_PEOPLE,
        period=PERIOD,
        day=st.sampled_from(["01", "15"]),
        rate=st.sampled_from(["0.9", "1.25"]),
    )
    def add_rate(self, who, period, day, rate):
        """Finance adds a dollar rate for a past day: the sales it governs are converted again."""
        body = {"currency": "USD", "date": PERIODS[period][0][:8] + day, "rate": rate}
        self.act(who, C.MANAGE_RATES, "post", self._path(who, "exchange-rates/"), body)

    @rule(who=DEALERS, partner=SIGNED, customer=st.sampled_from(CUSTOMERS), amount=MONEY)
    def register_deal(self, who, partner, customer, amount):
        body = {"partner": self.partner_id(partner), "customer": customer, "expected_amount": amount}
        path = self.as_outsider("deals/") if who == "outsider" else "deals/"
        response = self.act(who, C.REGISTER_DEAL, "post", path, body)
        if response.status_code == 201:
            deal = response.json()
            actor = self.w.actor(who)
            if actor.partner_id:  # a partner user registers for its own partner, whatever it sent
                assert deal["partner"] == actor.partner_id
            self.deals.append(deal["id"])

    def _deal_step(self, who, index, capability, action, body):
        deal_id = _pick(self.deals, index)
        if deal_id is None:
            return None
        response = self.act(who, capability, "post", self._path(who, f"deals/{deal_id}/{action}/"), body)
        actor = self.w.actor(who)
        deal = DealRegistration.objects.for_tenant(self.w.tenant).get(pk=deal_id)
        if actor.partner_id and deal.partner_id != actor.partner_id and allows(actor.role, capability):
            assert response.status_code == 404, (
                f"{who} reached another partner's deal: {response.status_code}"
            )
        return response

    def _path(self, who, path):
        return self.as_outsider(path) if who == "outsider" else path

    @precondition(lambda self: self.deals)
    @rule(who=DECIDERS, index=PICK, approve=st.booleans())
    def decide_deal(self, who, index, approve):
        self._deal_step(
            who, index, C.DECIDE_DEAL, "decide", {"approve": approve, "reason": "" if approve else "No"}
        )

    @precondition(lambda self: self.deals)
    @rule(who=DECIDERS, index=PICK, won=st.booleans(), amount=MONEY)
    def close_deal(self, who, index, won, amount):
        deal_id = _pick(self.deals, index)
        before = deal_id and DealRegistration.objects.for_tenant(self.w.tenant).get(pk=deal_id).status
        response = self._deal_step(
            who, index, C.CLOSE_DEAL, "close", {"won": won, "amount": amount.lstrip("-")}
        )
        if response is not None and response.status_code == 200:
            assert before == "approved", f"a {before} registration was closed"

    @precondition(lambda self: self.deals)
    @rule(who=DEALERS, index=PICK)
    def withdraw_deal(self, who, index):
        self._deal_step(who, index, C.REGISTER_DEAL, "withdraw", {"reason": "Customer went quiet"})

    # --- the pipeline ------------------------------------------------------------------

    @rule(who=DECIDERS, partner=st.sampled_from(["north", "south", "prospect"]), to=STAGES)
    def move_partner(self, who, partner, to):
        body = {"to": to, "note": "Walk"}
        response = self.act(
            who,
            C.MOVE_PARTNER,
            "post",
            self._path(who, f"partners/{self.partner_id(partner)}/transition/"),
            body,
        )
        if self.w.actor(who).partner_id:
            assert response.status_code in (403, 404)

    @rule(who=mostly("manager", "admin"))
    def recompute_tiers(self, who):
        self.act(who, C.RECOMPUTE_TIERS, "post", self._path(who, "tiers/recompute/"), {})

    @rule(who=mostly("manager", "admin"), period=PERIOD)
    def compute_scorecards(self, who, period):
        self.act(
            who, C.COMPUTE_SCORECARDS, "post", self._path(who, "scorecards/compute/"), {"period": period}
        )

    # --- MDF ---------------------------------------------------------------------------

    @rule(who=DEALERS, partner=SIGNED, amount=st.sampled_from(["300.00", "700.00", "1000.00", "50000.00"]))
    def request_mdf(self, who, partner, amount):
        body = {
            "partner": self.partner_id(partner),
            "rule": self.w.mdf_rule_id,
            "period": "2026-Q3",
            "plan": "Trade show booth",
            "amount": amount,
        }
        response = self.act(who, C.REQUEST_MDF, "post", self._path(who, "mdf-requests/"), body)
        if response.status_code == 201:
            self.requests.append(response.json()["id"])

    @precondition(lambda self: self.requests)
    @rule(who=mostly("manager", "admin"), index=PICK, approve=st.booleans())
    def decide_mdf_request(self, who, index, approve):
        request_id = _pick(self.requests, index)
        if request_id is not None:
            path = self._path(who, f"mdf-requests/{request_id}/decide/")
            self.act(who, C.DECIDE_MDF, "post", path, {"approve": approve, "note": "Walk"})

    @precondition(lambda self: self.requests)
    @rule(who=DEALERS, index=PICK, amount=st.sampled_from(["100.00", "500.00", "1000.00", "20000.00"]))
    def claim_mdf(self, who, index, amount):
        request_id = _pick(self.requests, index)
        if request_id is None:
            return
        proof = SimpleUploadedFile("proof.pdf", real_pdf(), content_type="application/pdf")
        body = {"request": request_id, "amount": amount, "description": "Booth at the fair", "proof": proof}
        response = self.act(who, C.REQUEST_MDF, "post", self._path(who, "mdf-claims/"), body, fmt="multipart")
        if response.status_code == 201:
            self.claims.append(response.json()["id"])

    @precondition(lambda self: self.claims)
    @rule(who=mostly("manager", "admin"), index=PICK, approve=st.booleans())
    def decide_mdf_claim(self, who, index, approve):
        claim_id = _pick(self.claims, index)
        if claim_id is not None:
            self.act(
                who,
                C.DECIDE_MDF,
                "post",
                self._path(who, f"mdf-claims/{claim_id}/decide/"),
                {"approve": approve},
            )

    # --- payout runs -------------------------------------------------------------------

    @rule(who=MONEY_PEOPLE, period=PERIOD)
    def compute_run(self, who, period):
        self.act(who, C.COMPUTE_PAYOUT_RUN, "post", self._path(who, "payout-runs/"), {"period": period})
        if self.run_of(period) is not None:
            self.computed.add(period)

    @precondition(lambda self: self.computed)
    @rule(who=MONEY_PEOPLE, period=PERIOD, partner=SIGNED, amount=MONEY)
    def adjust_run(self, who, period, partner, amount):
        run = self.run_of(period)
        if run is None:
            return
        body = {"partner": self.partner_id(partner), "amount": amount, "reason": "Walk correction"}
        response = self.act(
            who, C.APPROVE_PAYOUT_RUN, "post", self._path(who, f"payout-runs/{run.pk}/adjustments/"), body
        )
        if response.status_code == 201:
            self.record.adjusters[run.pk].add(self.w.actor(who).user.pk)

    @precondition(lambda self: self.computed)
    @rule(who=MONEY_PEOPLE, period=PERIOD)
    def acknowledge_warnings(self, who, period):
        run = self.run_of(period)
        if run is None:
            return
        admin = self.w.actor("admin")
        groups = admin.call("get", f"payout-runs/{run.pk}/").json().get("warning_groups") or []
        codes = [g["code"] for g in groups] or ["duplicate_sale"]
        for code in codes[:2]:
            self.act(
                who,
                C.APPROVE_PAYOUT_RUN,
                "post",
                self._path(who, f"payout-runs/{run.pk}/acknowledge/"),
                {"code": code},
            )

    @rule(
        who=MONEY_PEOPLE,
        approver=MONEY_PEOPLE,
        period=PERIOD,
        adjustment=st.sampled_from([None, "150.00", "-20.00"]),
        partner=SIGNED,
    )
    def close_the_quarter(self, who, approver, period, adjustment, partner):
        """The usual path, in one step: the run computed (and adjusted), its warnings acknowledged,
        approved and exported (the approver may be the one who computed and adjusted it)."""
        self.compute_run(who, period)
        if period in self.computed:
            if adjustment:
                self.adjust_run(who, period, partner, adjustment)
            self.acknowledge_warnings(approver, period)
            self.approve_run(approver, period, True)
            self.mark_exported(approver, period)

    @precondition(lambda self: self.computed)
    @rule(who=MONEY_PEOPLE, period=PERIOD, acknowledge=st.booleans())
    def approve_run(self, who, period, acknowledge):
        run = self.run_of(period)
        if run is None:
            return
        paid = PayoutLine.objects.for_tenant(self.w.tenant).filter(run=run).values("rule_id")
        keys = set(
            IncentiveRule.objects.for_tenant(self.w.tenant).filter(pk__in=paid).values_list("key", flat=True)
        )
        path = self._path(who, f"payout-runs/{run.pk}/approve/")
        response = self.act(who, C.APPROVE_PAYOUT_RUN, "post", path, {"acknowledge_warnings": acknowledge})
        if response.status_code == 200:
            run.refresh_from_db()
            self.record.approved[run.pk] = run_snapshot(run)
            self.record.approvals.append((self.record.step, run.pk, {str(k) for k in keys}))

    @precondition(lambda self: self.computed)
    @rule(who=MONEY_PEOPLE, period=PERIOD)
    def mark_exported(self, who, period):
        run = self.run_of(period)
        if run is not None:
            self.act(
                who, C.EXPORT_PAYOUT_RUN, "post", self._path(who, f"payout-runs/{run.pk}/mark-exported/"), {}
            )

    @precondition(lambda self: self.computed)
    @rule(who=MONEY_PEOPLE, period=PERIOD, partner=SIGNED)
    def record_payment(self, who, period, partner):
        run = self.run_of(period)
        if run is None:
            return
        body = {
            "partner": self.partner_id(partner),
            "paid_on": "2026-10-05",
            "reference": f"SEPA-{self.record.step}",
        }
        self.act(who, C.RECORD_PAYMENTS, "post", self._path(who, f"payout-runs/{run.pk}/payments/"), body)

    # --- rules and benefits ------------------------------------------------------------

    @rule(who=mostly("manager", "admin"), rate=st.sampled_from(["3", "5", "7.5"]))
    def edit_commission(self, who, rate):
        current = IncentiveRule.objects.for_tenant(self.w.tenant).get(
            key=self.w.commission_key, is_current=True
        )
        path = self._path(who, f"incentive-rules/{current.pk}/")
        response = self.act(who, C.EDIT_RULES, "patch", path, {"params": {"rate": rate}})
        if response.status_code == 200:
            self.record.rule_edits.append(
                (self.record.step, self.w.actor(who).user.pk, str(self.w.commission_key))
            )

    @rule(who=mostly("admin"), tier=st.sampled_from(["A", "B"]), value=st.sampled_from(["2", "3"]))
    def save_mdf_benefit(self, who, tier, value):
        body = {"tier": tier, "kind": "mdf_share", "value": value, "description": f"MDF {value}%"}
        self.act(who, C.EDIT_PROGRAMME, "post", self._path(who, "tier-benefits/"), body)

    # --- reading and probing -----------------------------------------------------------

    @rule(
        who=PARTNER_USERS,
        listing=st.sampled_from(
            [
                "deals/",
                "mdf-requests/",
                "payout-lines/",
                "partners/",
                "payments/",
                "scorecards/",
                "mdf-claims/",
            ]
        ),
    )
    def partner_reads_its_own(self, who, listing):
        actor = self.w.actor(who)
        response = self.act(who, C.READ, "get", listing)
        assert response.status_code == 200
        for row in response.json()["results"]:
            partner = row.get("partner", row.get("id") if listing == "partners/" else None)
            if listing == "mdf-claims/":
                partner = MdfRequest.objects.for_tenant(self.w.tenant).get(pk=row["request"]).partner_id
            assert partner == actor.partner_id, f"{who} read {listing} of partner {partner}"

    @rule(
        who=st.sampled_from(["north_user", "south_user", "outsider"]),
        index=PICK,
        kind=st.sampled_from(["partners", "deals", "mdf-requests", "mdf-claims", "payout-runs"]),
    )
    def probe_what_is_not_theirs(self, who, index, kind):
        """Someone reads an object of another partner (or, for the outsider, of another tenant): 404."""
        actor = self.w.actor(who)
        ids = {
            "partners": [p.pk for p in self.w.partners.values()],
            "deals": self.deals,
            "mdf-requests": self.requests,
            "mdf-claims": self.claims,
            "payout-runs": list(PayoutRun.objects.for_tenant(self.w.tenant).values_list("pk", flat=True)),
        }[kind]
        target = _pick(ids, index)
        if target is None:
            return
        owner = {
            "partners": lambda: target,
            "deals": lambda: DealRegistration.objects.for_tenant(self.w.tenant).get(pk=target).partner_id,
            "mdf-requests": lambda: MdfRequest.objects.for_tenant(self.w.tenant).get(pk=target).partner_id,
            "mdf-claims": lambda: (
                MdfClaim.objects.for_tenant(self.w.tenant).get(pk=target).request.partner_id
            ),
            "payout-runs": lambda: None,
        }[kind]()
        response = self.act(who, C.READ, "get", self._path(who, f"{kind}/{target}/"))
        if who == "outsider" or (owner is not None and owner != actor.partner_id):
            assert response.status_code == 404, f"{who} reached {kind}/{target}: {response.status_code}"

    # --- people joining ----------------------------------------------------------------

    @rule(
        who=mostly("admin", "manager", "north_user"),
        invitee=st.sampled_from(["elsewhere", "newcomer"]),
        answer=st.sampled_from(["accept", "decline", "stranger"]),
    )
    def invite_and_answer(self, who, invitee, answer):
        """Someone invites a person (a member of the other tenant, or someone new); the person accepts as
        themselves, declines, or a stranger signed in as another account tries the link."""
        self.invited = getattr(self, "invited", 0) + 1
        email = f"p{self.record.step}-{self.invited}@walk.example"
        elsewhere = None
        if invitee == "elsewhere":  # a member of the other tenant: nothing about it shows, nothing attaches
            elsewhere = MembershipFactory(tenant=self.w.other_tenant, role="admin", user__email=email).user
        actor = self.w.actor(who)
        if actor.role == "admin":
            response = self.act(
                who,
                C.MANAGE_MEMBERS,
                "post",
                self._path(who, "members/"),
                {"email": email, "role": "finance"},
            )
        else:
            body = {"email": email, "partner": self.partner_id("north")}
            response = self.act(
                who, C.INVITE_PARTNER_USERS, "post", self._path(who, "partner-users/invite/"), body
            )
        if response.status_code != 201:
            return
        assert response.json()["detail"] == f"Invitation sent to {email}."
        link = re.search(r"/invitations/[^/\s]+/", mail.outbox[-1].body).group(0)
        person = Client()
        with type(self).capture(execute=True):
            if answer == "decline":
                person.post(link, {"action": "decline"})
            elif answer == "stranger":
                person.force_login(self.w.actor("finance").user)
                assert person.post(link, {"action": "join"}).status_code == 400
            elif elsewhere is not None:
                person.force_login(elsewhere)
                assert person.post(link, {"action": "join"}).status_code == 302
            else:
                created = person.post(
                    link,
                    {
                        "action": "create",
                        "username": email.split("@")[0],
                        "password1": "Quiet-harbour-7391",
                        "password2": "Quiet-harbour-7391",
                    },
                )
                assert created.status_code == 302, created.content[:500]
        self.dirty = True

    # --- after every step --------------------------------------------------------------

    @invariant()
    def the_programme_holds(self):
        if self.dirty:  # (a refused step was shown to change nothing: the invariants hold as before)
            check_all(self.w, self.record)
            self.dirty = False


@pytest.fixture
def walk_world(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    # The walk reads the webhook outbox (the events as recorded, in order); sending them to a receiver
    # is tests/test_webhooks.py's business.
    monkeypatch.setattr("prm.webhooks.events.send_soon", lambda tenant_id, delivery_ids: None)
    return build_world()


def test_every_role_walks_the_programme_and_it_holds(walk_world, django_capture_on_commit_callbacks):
    ProgrammeWalk.world = walk_world
    ProgrammeWalk.capture = staticmethod(django_capture_on_commit_callbacks)
    walk(ProgrammeWalk, examples=EXAMPLES)


def walk(machine, *, examples: int, steps: int = STEPS) -> None:
    """Walk ``machine`` (``ProgrammeWalk`` or a walk built on it, its ``world`` and ``capture`` set)
    ``examples`` times, up to ``steps`` steps each: derandomised unless ``WALK_RANDOM`` is set."""
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            derandomize=not RANDOM,
            print_blob=True,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.filter_too_much,
            ],
        ),
    )
