"""What must hold after every step of the walk, whoever took it: stated once, checked from the database.

- **money**: every sale keeps the rate the rate table gives its date (1 at home, none without one)
  and its amount times that rate, whenever the rate was added; a run's total is the sum of its lines; an approved run never changes; approved MDF
  requests never exceed the budget and claims never exceed their request; nothing is paid twice
  (a claim, or a sale by the same rule); every paid cent traces to a line, a rule version (or an
  adjustment with its author and reason) and source facts that exist; payments only on approved
  runs, never more than the partner's total;
- **authority**: nobody approved a run they changed (an adjustment, or a rule version it pays that
  no earlier approval covered) — judged from the walk's own record of who did what, not from the
  product's code; a refused step changed nothing (``fingerprint``, checked by the step itself);
- **identity**: every object an approved run or a webhook event refers to still exists;
- **events**: each object's events are in commit order and the last one matches what it is now;
- **promises**: no tier benefit is contradicted by a rule in force;
- **surveys**: an answer counts once (a round's answers are its answered invitations; a customer's
  answer is one satisfaction result with its score), and a round's and the customers' NPS equal a
  recompute from the answers;
- **requests**: a request's status agrees with its thread (answered: the vendor spoke last; open:
  the vendor did not; closed: and only then, a closing time), and the partner's side of a thread is
  written only by that partner's own users;
- **prices**: a sale below its tier's minimum resale price (found here from the price list, the
  partner's tier in force and the sale, not by pricing's own query) is never paid by a run computed
  while ``below_minimum_earns`` was off, and every such sale of a computed run is in its
  ``below_minimum_price`` warning, which says whether it earns; a partner user's price list shows
  its own tier's terms only; a refused import leaves the price list as it was (``FINGERPRINT``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from conversations.models import PartnerRequest, RequestMessage
from incentives.models import IncentiveRule, MdfClaim, MdfRequest, Payment, PayoutLine, PayoutRun
from partners.models import DealRegistration, Partner, PartnerUser, Sale, StageChange
from partners.models.benefits import TierBenefit
from partners.tiering.benefit_keeping import keeping_of, rule_uses
from pricing.models import ListPrice, TierTerms
from prm.currency.models import ExchangeRate
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Invitation, Membership
from prm.webhooks.models import Event
from scorecards.models import SatisfactionResult, Scorecard
from surveys.models import CustomerSurvey, PartnerSurvey, PartnerSurveyAnswer, PartnerSurveyInvitation
from surveys.results import nps_of, survey_results
from surveys.selectors import customer_summary

from .price_discipline import prices
from .world import MDF_BUDGET, World


@dataclass
class Record:
    """What the walk saw happen, kept by the walk itself (the product's own tables are what is checked)."""

    step: int = 0
    approved: dict[int, tuple] = field(default_factory=dict)  # run id -> snapshot at approval
    adjusters: dict[int, set] = field(default_factory=lambda: defaultdict(set))  # run id -> user ids
    rule_edits: list[tuple[int, int, str]] = field(default_factory=list)  # (step, user id, rule key)
    approvals: list[tuple[int, int, set]] = field(default_factory=list)  # (step, run id, rule keys paid)
    #: run id -> (computed at, whether sales below the minimum earned then, those sales by partner)
    priced: dict[int, tuple] = field(default_factory=dict)


#: What a refused step must leave as it found it (everything but logs, jobs and the outbox): one
#: statement, so that it can be taken before and after every step.
FINGERPRINT = [
    (Partner, "stage, computed_tier, tier_override, name"),
    (DealRegistration, "status, partner_id, closed_amount"),
    (Sale, "partner_id, amount, date, rate, converted"),
    (ExchangeRate, "currency, date, rate"),
    (MdfRequest, "status, amount"),
    (MdfClaim, "status, amount"),
    (PayoutRun, "status, total"),
    (PayoutLine, "run_id, partner_id, amount"),
    (IncentiveRule, "version, is_current, params"),
    (TierBenefit, "tier, kind, value"),
    (Payment, "run_id, amount"),
    (Membership, "user_id, role, is_active"),
    (Invitation, "email, role, partner_id, token_hash, accepted_at, declined_at, revoked_at"),
    (PartnerSurveyInvitation, "survey_id, user_id, answered_at"),
    (PartnerSurveyAnswer, "survey_id, score"),
    (CustomerSurvey, "answered_at, score, result_id"),
    (PartnerRequest, "partner_id, status, closed_at"),
    (RequestMessage, "request_id, author_id, from_vendor"),
    (ListPrice, "product, currency, valid_from, valid_to, list_price"),
    (TierTerms, "price_id, tier, max_discount, minimum_price"),
]


def fingerprint(tenant) -> str:
    parts = [
        f"(SELECT md5(coalesce(string_agg(concat_ws(',', id, {columns}), ';' ORDER BY id), ''))"
        f" FROM {model._meta.db_table} WHERE tenant_id = %(t)s)"
        for model, columns in FINGERPRINT
    ]
    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(f"SELECT concat_ws('|', {', '.join(parts)})", {"t": tenant.pk})
        return cursor.fetchone()[0]


def run_snapshot(run) -> tuple:
    lines = PayoutLine.objects.for_tenant(run.tenant_id).filter(run=run).order_by("pk")
    return run.total, tuple(lines.values_list("pk", "partner_id", "kind", "amount", "rule_id"))


def check_all(world: World, record: Record) -> None:
    money(world, record)
    authority(world, record)
    identity(world)
    events(world)
    promises(world)
    joining(world)
    surveys(world)
    requests(world)
    prices(world, record)


def joining(world: World) -> None:
    """Nobody joins but the walk's own people and those who accepted an invitation as themselves,
    with the invited e-mail, in the invited role."""
    t = world.tenant.pk
    own = {actor.user.pk for actor in world.actors.values()}
    accepted = {
        i.accepted_by_id: i
        for i in Invitation.objects.for_tenant(t)
        .filter(accepted_at__isnull=False)
        .select_related("accepted_by")
    }
    for membership in Membership.objects.for_tenant(t).exclude(user_id__in=own).select_related("user"):
        invitation = accepted.get(membership.user_id)
        assert invitation is not None, f"{membership.user} joined without accepting an invitation"
        assert membership.user.email.lower() == invitation.email.lower(), f"{membership.user} took another's"
        assert membership.role == invitation.role, f"{membership.user} joined as {membership.role}"


def promises(world: World) -> None:
    """No tier benefit promises what a current rule contradicts (what *My programme* shows holds)."""
    uses = rule_uses(world.tenant)
    for benefit in TierBenefit.objects.for_tenant(world.tenant):
        kept = keeping_of(benefit, uses)
        assert not kept.contradicted, f"tier {benefit.tier}'s {benefit.kind} {benefit.value} is contradicted"


def conversions(world: World) -> None:
    """Each sale's stored conversion is what the rate table says of its date now (found here from the
    rates, not by the product's query)."""
    home, rates = world.tenant.currency, defaultdict(list)
    for currency, day, rate in ExchangeRate.objects.for_tenant(world.tenant).values_list(
        "currency", "date", "rate"
    ):
        rates[currency].append((day, rate))
    for sale in Sale.objects.for_tenant(world.tenant).only("amount", "currency", "date", "rate", "converted"):
        known = sorted((day, rate) for day, rate in rates[sale.currency] if day <= sale.date)
        rate = Decimal(1) if sale.currency == home else (known[-1][1] if known else None)
        expected = (rate, None if rate is None else sale.amount * rate)
        assert (sale.rate, sale.converted) == expected, f"sale {sale.pk} keeps {sale.rate}, not {rate}"


def money(world: World, record: Record) -> None:
    conversions(world)
    t = world.tenant.pk
    runs = {run.pk: run for run in PayoutRun.objects.for_tenant(t)}
    sums = dict(
        PayoutLine.objects.for_tenant(t)
        .values_list("run_id")
        .annotate(s=Sum("amount"))
        .values_list("run_id", "s")
    )
    for run in runs.values():
        assert run.total == sums.get(run.pk, Decimal(0)), (
            f"run {run.period}: total {run.total} ≠ its lines {sums.get(run.pk)}"
        )
    for run_id, snapshot in record.approved.items():
        run = runs[run_id]
        assert run.status != "draft", f"approved run {run.period} went back to draft"
        assert run_snapshot(run) == snapshot, f"approved run {run.period} changed"

    requests = list(MdfRequest.objects.for_tenant(t).select_related("rule"))
    committed = Counter()
    for request in requests:
        if request.status == "approved":
            committed[(request.partner_id, request.rule.key, request.period)] += request.amount
    for (partner, _key, period), amount in committed.items():
        assert amount <= MDF_BUDGET, (
            f"partner {partner}: {amount} of MDF approved for {period} against {MDF_BUDGET}"
        )
    claimed = Counter()
    for claim in MdfClaim.objects.for_tenant(t).exclude(status="rejected"):
        claimed[claim.request_id] += claim.amount
    by_id = {r.pk: r for r in requests}
    for request_id, amount in claimed.items():
        assert amount <= by_id[request_id].amount, (
            f"MDF request {request_id}: {amount} claimed of {by_id[request_id].amount}"
        )

    final = PayoutLine.objects.for_tenant(t).exclude(run__status="draft").select_related("rule")
    claims_paid, sales_paid = Counter(), Counter()
    for line in final:
        if line.kind == "adjustment":
            assert line.created_by_id and line.source.get("reason"), (
                f"adjustment {line.pk} without author or reason"
            )
            continue
        assert line.rule is not None and line.rule.version == line.rule_version, (
            f"line {line.pk} lost its rule version"
        )
        if line.kind == "mdf":
            claims_paid[line.source["claim"]] += 1
            claim = MdfClaim.objects.for_tenant(t).get(pk=line.source["claim"])
            assert claim.status == "paid" and claim.paid_line_id == line.pk and line.amount <= claim.amount, (
                f"claim {claim.pk} reads {claim.status} {claim.amount} but line {line.pk} paid {line.amount}"
            )
        for sale in line.source.get("sales") or []:
            sales_paid[(line.rule.key, sale)] += 1
    assert all(n == 1 for n in claims_paid.values()), f"an MDF claim paid twice: {claims_paid}"
    assert all(n == 1 for n in sales_paid.values()), f"a sale paid twice by one rule: {sales_paid}"
    sale_ids = {s for _key, s in sales_paid}
    assert Sale.objects.for_tenant(t).filter(pk__in=sale_ids).count() == len(sale_ids), "a paid sale is gone"

    owed = {
        (run, partner): total
        for run, partner, total in PayoutLine.objects.for_tenant(t)
        .values("run_id", "partner_id")
        .annotate(s=Sum("amount"))
        .values_list("run_id", "partner_id", "s")
    }
    for payment in Payment.objects.for_tenant(t):
        assert runs[payment.run_id].status != "draft", f"payment {payment.pk} on a draft run"
        assert payment.amount <= owed.get((payment.run_id, payment.partner_id), 0), (
            f"payment {payment.pk} > owed"
        )


def authority(world: World, record: Record) -> None:
    t = world.tenant.pk
    runs = {run.pk: run for run in PayoutRun.objects.for_tenant(t).exclude(status="draft")}
    for step, run_id, keys in record.approvals:
        run = runs[run_id]
        approver = run.approved_by_id
        assert approver not in record.adjusters[run_id], (
            f"run {run.period} approved by the one who adjusted it"
        )
        covered = {}
        for other_step, _other, other_keys in record.approvals:
            if other_step < step:
                for key in other_keys:
                    covered[key] = max(covered.get(key, -1), other_step)
        editors = {
            user for at, user, key in record.rule_edits if key in keys and covered.get(key, -1) < at < step
        }
        assert approver not in editors, f"run {run.period} approved by an editor of a rule it pays"


def identity(world: World) -> None:
    t = world.tenant.pk
    partners = set(Partner.objects.for_tenant(t).values_list("pk", flat=True))
    deals = set(DealRegistration.objects.for_tenant(t).values_list("pk", flat=True))
    for name, data in Event.objects.for_tenant(t).values_list("name", "data"):
        if name.startswith("partner."):
            assert data["id"] in partners, f"{name} refers to partner {data['id']}, gone"
        elif name.startswith("deal."):
            assert data["id"] in deals, f"{name} refers to deal {data['id']}, gone"
    final = PayoutLine.objects.for_tenant(t).exclude(run__status="draft")
    for line in final.exclude(source__scorecard=None).filter(source__has_key="scorecard"):
        assert Scorecard.objects.for_tenant(t).filter(pk=line.source["scorecard"]).exists(), (
            f"line {line.pk} of an approved run paid on scorecard {line.source['scorecard']}, gone"
        )


def events(world: World) -> None:
    """Events are recorded in commit order, each with the state of its moment: a partner's stage events
    follow its stage history move for move, and the last event of each partner and deal says what it
    is now."""
    t = world.tenant.pk
    last_partner, last_deal, moves = {}, {}, defaultdict(list)
    for name, data in Event.objects.for_tenant(t).order_by("pk").values_list("name", "data"):
        if name.startswith("partner.") and "stage" in data:
            last_partner[data["id"]] = (name, data)
            if name == "partner.stage_changed":
                moves[data["id"]].append(data["stage"])
        elif name.startswith("deal.") and "status" in data:
            last_deal[data["id"]] = (name, data)
    history = defaultdict(list)
    for partner_id, stage in (
        StageChange.objects.for_tenant(t).order_by("pk").values_list("partner_id", "to_stage")
    ):
        history[partner_id].append(stage)
    for partner_id, stages in moves.items():
        assert history[partner_id][-len(stages) :] == stages, (
            f"partner {partner_id}: stage events {stages} against its history {history[partner_id]}"
        )
    for partner in Partner.objects.for_tenant(t).filter(pk__in=last_partner):
        name, data = last_partner[partner.pk]
        assert data["stage"] == partner.stage, (
            f"last event of {partner} is {name} at {data['stage']}, it is {partner.stage}"
        )
    for deal in DealRegistration.objects.for_tenant(t).filter(pk__in=last_deal):
        name, data = last_deal[deal.pk]
        assert data["status"] == deal.status, (
            f"last event of deal {deal.pk} is {name} ({data['status']}), it is {deal.status}"
        )


def surveys(world: World) -> None:
    """Each answer counts once, and the NPS shown is the NPS of the answers."""
    t = world.tenant.pk
    answered = dict(
        PartnerSurveyInvitation.objects.for_tenant(t)
        .values("survey_id")
        .annotate(n=Count("id", filter=Q(answered_at__isnull=False)))
        .values_list("survey_id", "n")
    )
    for survey in PartnerSurvey.objects.for_tenant(t).filter(sent_at__isnull=False):
        scores = list(
            PartnerSurveyAnswer.objects.for_tenant(t).filter(survey=survey).values_list("score", flat=True)
        )
        assert len(scores) == answered.get(survey.pk, 0), (
            f"round {survey.pk}: {len(scores)} answers for {answered.get(survey.pk, 0)} answered invitations"
        )
        overall = survey_results(survey)["overall"]
        if not overall.hidden:
            expected = nps_of(sum(s >= 9 for s in scores), sum(s <= 6 for s in scores), len(scores))
            assert overall.nps == expected, (
                f"round {survey.pk}: NPS {overall.nps}, its answers make {expected}"
            )
    customers = CustomerSurvey.objects.for_tenant(t)
    results = {r.pk: r for r in SatisfactionResult.objects.for_tenant(t)}
    linked = []
    for survey in customers:
        assert (survey.answered_at is None) == (survey.result_id is None), f"customer survey {survey.pk}"
        if survey.result_id is not None:
            linked.append(survey.result_id)
            assert results[survey.result_id].score == survey.score, f"customer survey {survey.pk}: score"
    assert len(linked) == len(set(linked)), "one satisfaction result counted for two answers"
    scores = [results[pk].score for pk in linked]
    expected = (
        round(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores), 1)
        if scores
        else None
    )
    assert customer_summary(customers)["nps"] == expected, "the customers' NPS is not their answers'"


def requests(world: World) -> None:
    """A request's status agrees with its thread; only the partner's own users speak for it."""
    t = world.tenant.pk
    users_of = defaultdict(set)
    for partner_id, user_id in PartnerUser.objects.for_tenant(t).values_list(
        "partner_id", "membership__user_id"
    ):
        users_of[partner_id].add(user_id)
    threads = defaultdict(list)
    for request_id, author_id, from_vendor in (
        RequestMessage.objects.for_tenant(t)
        .order_by("created_at", "pk")
        .values_list("request_id", "author_id", "from_vendor")
    ):
        threads[request_id].append((author_id, from_vendor))
    for request in PartnerRequest.objects.for_tenant(t):
        thread = threads[request.pk]
        last_from_vendor = bool(thread) and thread[-1][1]
        assert (request.status == "closed") == (request.closed_at is not None), (
            f"request {request.pk}: closed_at"
        )
        if request.status == "answered":
            assert last_from_vendor, f"request {request.pk} answered, but the vendor did not speak last"
        if request.status == "open":
            assert not last_from_vendor, f"request {request.pk} open after the vendor's answer"
        assert (request.first_answered_at is not None) == any(v for _a, v in thread), (
            f"request {request.pk}: first answer time against its thread"
        )
        strangers = {a for a, v in thread if not v and a not in users_of[request.partner_id]}
        assert not strangers, f"request {request.pk}: written for its partner by users {strangers}"
