"""Contests' use cases that write: save a contest with its prizes, close it (awarding the prizes once),
and the daily job's closing of contests ended long enough ago.

Closing locks the contest's row, refuses one already closed (so closing twice awards once; the
unique constraint on award, partner and prize is the database's word on it), reads the winners off
the leaderboard as it stands (``standings.winners``) and pays each award: points credited to the
points ledger (``rewards.catalogue.ledger.credit``), money as an adjustment line of the next draft
payout run (finance checks it like any adjustment), a catalogue item as a redemption that costs no
points and is approved at once (``rewards.catalogue.services.grants.redemption_grant``; out of
stock, it is granted all the same and waits for stock). Audit entry, webhook events and e-mails to the winners leave with the commit.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incentives.choices import RunStatus
from incentives.models import PayoutRun
from incentives.services.runs import payout_adjustment_add
from partners.selectors import partner_accounts
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.periods import parse_period, period_containing
from prm.webhooks.events import emit, emit_many
from rewards.catalogue.ledger import credit
from rewards.catalogue.models import RewardItem
from rewards.catalogue.services.grants import redemption_grant

from . import standings
from .audit_actions import ContestAudit
from .choices import Measure, PrizeBasis, PrizeKind
from .models import Contest, ContestAward, Prize
from .payloads import award_payload, contest_payload

#: the fields a contest is saved with (the form, the API)
CONTEST_FIELDS = (
    "name",
    "description",
    "period",
    "starts_on",
    "ends_on",
    "tiers",
    "regions",
    "operating_models",
    "measure",
    "kpi",
    "show_names",
    "for_preferences",
    "preferred_only",
    "auto_close_days",
)
PRIZE_FIELDS = ("label", "basis", "rank_from", "rank_to", "threshold", "kind", "points", "amount", "item")


def _checked(tenant, fields: dict) -> dict:
    """The contest's fields made whole (a period's dates) and checked; ValidationError names the field."""
    period = (fields.get("period") or "").strip().upper()
    if period:
        found = parse_period(period)
        fields.update(period=found.code, starts_on=found.start, ends_on=found.end)
    if fields.get("measure") in (Measure.KPI, Measure.SCORE) and not period:
        raise ValidationError(
            {"period": [_("A contest on scorecards needs the programme period they are computed for.")]}
        )
    if fields.get("measure") == Measure.KPI:
        kpi = fields.get("kpi")
        if kpi is None:
            raise ValidationError({"kpi": [_("Choose the KPI the contest measures.")]})
        if kpi.tenant_id != tenant.pk:
            raise ValidationError({"kpi": [_("Choose one of the programme's KPIs.")]})
    else:
        fields["kpi"] = None
    if not fields.get("starts_on") or not fields.get("ends_on"):
        raise ValidationError({"starts_on": [_("Give the contest's dates or a programme period.")]})
    if fields["ends_on"] < fields["starts_on"]:
        raise ValidationError({"ends_on": [_("The contest ends before it starts.")]})
    return fields


def _prize_checked(tenant, index: int, prize: dict) -> dict:
    def refuse(message):
        raise ValidationError({"prizes": [_("Prize %(n)d: %(m)s") % {"n": index + 1, "m": message}]})

    prize = {name: prize.get(name) for name in PRIZE_FIELDS}
    prize["label"] = (prize["label"] or "").strip()
    prize["basis"] = prize["basis"] or PrizeBasis.RANK
    prize["kind"] = prize["kind"] or PrizeKind.POINTS
    if not prize["label"]:
        refuse(_("say what it is."))
    if prize["basis"] == PrizeBasis.RANK:
        if not prize["rank_from"]:
            refuse(_("give the first rank it goes to."))
        prize["rank_to"] = prize["rank_to"] or prize["rank_from"]
        if prize["rank_to"] < prize["rank_from"]:
            refuse(_("its last rank comes before its first."))
        prize["threshold"] = None
    else:
        if prize["threshold"] is None:
            refuse(_("give the threshold to reach."))
        prize["rank_from"] = prize["rank_to"] = None
    if prize["kind"] == PrizeKind.ITEM:
        item = prize["item"]
        if isinstance(item, int | str):
            item = RewardItem.objects.for_tenant(tenant).filter(pk=item).first()
        if item is None or item.tenant_id != tenant.pk or not item.active:
            raise ValidationError(
                {"item": [_("Prize %(n)d: choose an active reward of the catalogue.") % {"n": index + 1}]}
            )
        prize.update(item=item, points=None, amount=None)
    elif prize["kind"] == PrizeKind.POINTS:
        if not prize["points"] or prize["points"] <= 0:
            refuse(_("give the points it is worth."))
        prize.update(amount=None, item=None)
    else:
        if not prize["amount"] or prize["amount"] <= 0:
            refuse(_("give the amount it pays."))
        prize.update(points=None, item=None)
    return prize


@transaction.atomic
def contest_save(
    *, tenant, actor, contest: Contest | None = None, prizes: list[dict] | None = None, **fields
) -> Contest:
    """Create a contest, or change one not yet closed; ``prizes`` (dicts of ``PRIZE_FIELDS``) replace
    its prizes when given. Audited."""
    if contest is not None:
        contest = Contest.objects.for_tenant(tenant).select_for_update().get(pk=contest.pk)
        if contest.closed_at:
            raise ValidationError({"detail": [_("This contest is closed: its prizes are awarded.")]})
        merged = {name: getattr(contest, name) for name in CONTEST_FIELDS}
        merged.update({name: value for name, value in fields.items() if name in CONTEST_FIELDS})
    else:
        merged = {name: fields.get(name) for name in CONTEST_FIELDS if name in fields}
        merged.setdefault("measure", Measure.GROWTH)
    merged = _checked(tenant, merged)
    for name in ("tiers", "regions", "operating_models", "for_preferences"):
        merged[name] = list(merged.get(name) or [])
    checked_prizes = (
        [_prize_checked(tenant, i, p) for i, p in enumerate(prizes)] if prizes is not None else None
    )
    created = contest is None
    if created:
        contest = Contest(
            tenant=tenant, created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        before = {}
    else:
        before = {name: _plain(getattr(contest, name)) for name in CONTEST_FIELDS}
    for name, value in merged.items():
        setattr(contest, name, value)
    contest.full_clean(exclude=["tenant", "created_by", "closed_by", "kpi"])
    contest.save()
    if checked_prizes is not None:
        if contest.awards.exists():
            raise ValidationError({"prizes": [_("Prizes were awarded already.")]})
        Prize.objects.for_tenant(tenant).filter(contest=contest).delete()
        Prize.objects.for_tenant(tenant).bulk_create(
            [Prize(tenant=tenant, contest=contest, position=i, **p) for i, p in enumerate(checked_prizes)]
        )
    after = {name: _plain(getattr(contest, name)) for name in CONTEST_FIELDS}
    changes = {
        name: [before.get(name), after[name]] for name in CONTEST_FIELDS if before.get(name) != after[name]
    }
    if checked_prizes is not None:
        changes["prizes"] = [None, [p["label"] for p in checked_prizes]]
    audit_record(
        tenant=tenant,
        actor=actor,
        action=ContestAudit.CONTEST_CREATED if created else ContestAudit.CONTEST_CHANGED,
        target=contest,
        changes=changes,
    )
    return contest


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    return value if isinstance(value, str | int | bool | list | type(None)) else str(value)


def _next_draft_run(tenant, contest) -> PayoutRun:
    """The payout run a money prize goes into: the earliest draft run of a period that ends on or
    after the contest's end, else the draft of the quarter of today (or the first quarter after it
    whose run is not approved yet), made as an empty draft that its computation will fill."""
    drafts = PayoutRun.objects.for_tenant(tenant).filter(status=RunStatus.DRAFT).order_by("period")
    for run in drafts:
        if parse_period(run.period).end >= contest.ends_on:
            return run
    period = period_containing(max(timezone.localdate(), contest.ends_on))
    while (
        PayoutRun.objects.for_tenant(tenant)
        .filter(period=period.code)
        .exclude(status=RunStatus.DRAFT)
        .exists()
    ):
        period = period.next()
    run, _created = PayoutRun.objects.for_tenant(tenant).get_or_create(
        tenant=tenant, period=period.code, defaults={"currency": tenant.currency}
    )
    return run


def _pay(award: ContestAward, *, actor) -> None:
    """Points into the ledger, money into the next draft payout run, or the item as a prize
    redemption, with the contest's name."""
    contest, prize, tenant = award.contest, award.prize, award.contest.tenant
    with translation.override(tenant.default_language):
        reason = _("Contest “%(c)s”: %(p)s") % {"c": contest.name, "p": prize.label}
    if prize.kind == PrizeKind.POINTS:
        award.points_entry = credit(award.partner, prize.points, reason[:255], actor=actor)
    elif prize.kind == PrizeKind.ITEM:
        award.redemption = redemption_grant(award.partner, prize.item, reason, actor=actor)
    else:
        run = _next_draft_run(tenant, contest)
        award.payout_line = payout_adjustment_add(
            run=run, actor=actor, partner=award.partner, amount=Decimal(prize.amount), reason=reason
        )
    award.save(update_fields=["points_entry", "payout_line", "redemption"])


@transaction.atomic
def contest_close(*, contest: Contest, actor, today=None) -> list[ContestAward]:
    """Close an ended contest and award its prizes to the leaderboard's winners, once: a contest
    already closed is refused. Returns the awards made."""
    tenant = contest.tenant
    contest = (
        Contest.objects.for_tenant(tenant)
        .select_for_update(of=("self",))
        .select_related("kpi")
        .get(pk=contest.pk)
    )
    today = today or timezone.localdate()
    if contest.closed_at:
        raise ValidationError(
            {"detail": [_("This contest is closed already; its prizes were awarded then.")]}
        )
    if today <= contest.ends_on:
        raise ValidationError(
            {"detail": [_("This contest runs until %(d)s; close it after that.") % {"d": contest.ends_on}]}
        )
    awards = []
    for prize in contest.prizes.all():
        for standing in standings.winners(contest, prize):
            award, created = ContestAward.objects.for_tenant(tenant).get_or_create(
                tenant=tenant,
                contest=contest,
                partner_id=standing.partner_id,
                prize=prize,
                defaults={"rank": standing.rank, "value": standing.value},
            )
            if created:
                _pay(award, actor=actor)
                awards.append(award)
    contest.closed_at = timezone.now()
    contest.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    contest.save(update_fields=["closed_at", "closed_by"])
    audit_record(
        tenant=tenant,
        actor=actor,
        action=ContestAudit.CONTEST_CLOSED,
        target=contest,
        changes={"closed_at": [None, contest.closed_at.isoformat()], "awards": [0, len(awards)]},
    )
    emit(tenant=tenant, name="contest.closed", data=lambda: contest_payload(contest))
    emit_many(tenant=tenant, name="contest.prize_awarded", items=lambda: [award_payload(a) for a in awards])
    _tell_winners(contest, awards)
    return awards


def _tell_winners(contest, awards) -> None:
    """One e-mail per winning partner's people, naming every prize it won."""
    won: dict[int, list] = {}
    for award in awards:
        won.setdefault(award.partner_id, []).append(award)
    accounts = partner_accounts(tenant=contest.tenant_id, partner_ids=list(won))
    for partner_id, partner_awards in won.items():
        with translation.override(contest.tenant.default_language):
            subject = _("You won a prize in the contest “%(c)s”") % {"c": contest.name}
        notify(
            tenant=contest.tenant,
            users=accounts.get(partner_id, []),
            category="contests",
            subject=subject,
            template="notifications/contest_won.txt",
            context={"contest": contest, "awards": partner_awards, "partner": partner_awards[0].partner},
        )


def contests_close_due(*, tenant, today=None) -> int:
    """The daily job: close every open contest whose ``auto_close_days`` after its end have passed."""
    today = today or timezone.localdate()
    closed = 0
    due = Contest.objects.for_tenant(tenant).filter(
        closed_at__isnull=True, auto_close_days__isnull=False, ends_on__lt=today
    )
    for contest in due:
        if contest.ends_on + timedelta(days=contest.auto_close_days) <= today:
            contest_close(contest=contest, actor=None, today=today)
            closed += 1
    return closed
