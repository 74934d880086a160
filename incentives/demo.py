"""Demo incentives: rules of every kind, a rate table, an approved run (exported, every partner paid but one), a draft run, MDF, points.

Idempotent: rules, rates and runs that exist already are left as they are.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from partners.models import DealRegistration, Partner, Sale
from prm.currency.models import ExchangeRate
from prm.periods import period_containing
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership

from .choices import ClaimStatus, MdfStatus, RuleKind
from .mdf_budget import budgets
from .models import IncentiveRule, MdfClaim, MdfRequest, PayoutRun
from .selectors import amounts_owed
from .services.payments import payment_record
from .services.rules import rule_create
from .services.runs import payout_run_approve, payout_run_compute, payout_run_mark_exported

RULES = [
    (
        "Volume commission",
        RuleKind.COMMISSION,
        {
            "brackets": [
                {"from": "0", "to": "20000", "rate": "2"},
                {"from": "20000", "to": "100000", "rate": "4"},
                {"from": "100000", "to": None, "rate": "6"},
            ],
            "mode": "marginal",
            "tier_multipliers": {"A": "1.2", "B": "1.1"},
            "cap": "15000",
        },
        {"stages": ["signed", "certified"]},
    ),
    (
        "Quarterly rebate",
        RuleKind.REBATE,
        {"threshold": "60000", "rate": "1.5"},
        {"stages": ["signed", "certified"]},
    ),
    ("Flagship SPIF", RuleKind.SPIF, {"product": None, "amount_per_unit": "120"}, {}),
    ("Score bonus", RuleKind.BONUS, {"type": "score", "threshold": "80", "amount": "1500"}, {}),
    ("Certification bonus", RuleKind.BONUS, {"type": "certification", "amount": "1000"}, {}),
    # each tier's MDF share as its benefits promise it (A 3%, B 2%); the margin points are arranged on
    # the price list, so no rule reads them and the tier benefits page says they are not automatic
    ("Co-marketing MDF", RuleKind.MDF, {"budget_share_benefit": True}, {"tiers": ["A", "B"]}),
    ("Partner club points", RuleKind.POINTS, {"per_amount": "10000", "points": "5"}, {}),
    # long-term incentives: points at each anniversary of the partnership (the demo's partners signed
    # over the past years, so some anniversary falls in the demo's runs)
    ("Anniversary points", RuleKind.LOYALTY_YEARS, {"years": [1, 2, 3, 5], "points": "250"}, {}),
]


def _staff(tenant) -> dict:
    return {
        m.role: m.user
        for m in Membership.objects.filter(tenant=tenant).select_related("user").order_by("created_at")
    }


def inputs(tenant) -> None:
    """The rules and the sales in another currency with their rates: inputs that the tiers, the
    scorecards and the payouts read, so they are in before any of them is computed."""
    manager = _staff(tenant).get(Role.CHANNEL_MANAGER)
    flagship = (
        Sale.objects.for_tenant(tenant).order_by("product").values_list("product", flat=True).first() or "—"
    )
    if not IncentiveRule.objects.for_tenant(tenant).exists():
        for name, kind, params, eligibility in RULES:
            if kind == RuleKind.SPIF:
                params = {**params, "product": flagship}
            rule_create(tenant=tenant, actor=manager, name=name, kind=kind, params=params, **eligibility)
    _foreign_sales(tenant, period_containing(timezone.localdate()).previous())


def seed(tenant) -> None:
    """MDF and the payout runs, last: they read the tiers and the scorecards."""
    staff = _staff(tenant)
    manager, finance = staff.get(Role.CHANNEL_MANAGER), staff.get(Role.FINANCE)
    today = timezone.localdate()
    draft_period = period_containing(today).previous()
    approved_period = draft_period.previous()
    _mdf(tenant, approved_period, manager)
    if not PayoutRun.objects.for_tenant(tenant).filter(period=approved_period.code).exists():
        run = payout_run_compute(tenant=tenant, period=approved_period.code)
        run = payout_run_approve(run=run, actor=finance, acknowledge_warnings=True)
        _paid_but_one(run, finance, min(approved_period.end + timedelta(days=20), today))
    if not PayoutRun.objects.for_tenant(tenant).filter(period=draft_period.code).exists():
        payout_run_compute(tenant=tenant, period=draft_period.code)


def _paid_but_one(run, finance, paid_on) -> None:
    """The approved run went to the bank, and every partner but the last has its payment."""

    payout_run_mark_exported(run=run, actor=finance)
    owed = sorted(amounts_owed(tenant=run.tenant_id, run=run))
    partners = {p.pk: p for p in Partner.objects.for_tenant(run.tenant_id).filter(pk__in=owed[:-1])}
    for number, partner_id in enumerate(owed[:-1], start=1):
        payment_record(
            run=run,
            actor=finance,
            partner=partners[partner_id],
            paid_on=paid_on,
            reference=f"SEPA-{run.period}-{number:04}",
        )


def _foreign_sales(tenant, period):
    """A few sales in another currency, with the rate table that converts them."""
    foreign = "USD" if tenant.currency != "USD" else "EUR"
    rate = Decimal("0.92") if foreign == "USD" else Decimal("1.08")
    for offset in (0, 45):
        ExchangeRate.objects.for_tenant(tenant).get_or_create(
            tenant=tenant,
            currency=foreign,
            date=period.start - timedelta(days=offset),
            defaults={"rate": rate},
        )
    partner = Partner.objects.for_tenant(tenant).filter(stage="certified").order_by("name").first()
    if partner is None:
        return
    for n, amount in enumerate(("8400.00", "12150.00", "-1200.00")):
        Sale.objects.for_tenant(tenant).get_or_create(
            tenant=tenant,
            external_id=f"{tenant.slug.upper()}-FX-{n}",
            defaults={
                "partner": partner,
                "date": period.start + timedelta(days=10 + 20 * n),
                "product": "Export order",
                "amount": Decimal(amount),
                "currency": foreign,
                "customer": "Overseas Holdings",
            },
        )


def _mdf(tenant, period, manager):
    """An approved request with an approved claim in ``period`` and an open request in the next one, each
    within its budget (the partner with the largest budget of the first signed ones)."""
    rule = IncentiveRule.objects.for_tenant(tenant).filter(kind=RuleKind.MDF, is_current=True).first()
    if rule is None or MdfRequest.objects.for_tenant(tenant).exists():
        return
    signed = Partner.objects.for_tenant(tenant).filter(stage__in=["signed", "certified"]).order_by("name")
    pairs = [(partner_id, rule.key) for partner_id in signed.values_list("pk", flat=True)[:20]]
    found = [b for b in budgets(tenant=tenant, period=period, pairs=pairs) if b.budget and b.budget >= 200]
    if not found:
        return
    best = max(found, key=lambda b: b.budget)
    partner = Partner.objects.for_tenant(tenant).get(pk=best.partner_id)
    amount = _round_down(best.budget)
    request = MdfRequest.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=partner,
        rule=rule,
        period=period.code,
        amount=amount,
        plan="Booth at the regional trade show and a customer breakfast.",
        status=MdfStatus.APPROVED,
        decided_by=manager,
    )
    claim = MdfClaim(
        tenant=tenant,
        request=request,
        amount=_round_down(amount * Decimal("0.88")),
        description="Booth, flyers, breakfast.",
        status=ClaimStatus.APPROVED,
        decided_by=manager,
    )
    claim.proof.save("invoice.pdf", ContentFile(b"%PDF-1.4\n% demo invoice\n"), save=False)
    claim.save()
    _dated_in(period, request, claim)
    following = budgets(tenant=tenant, period=period.next(), pairs=[(partner.pk, rule.key)])
    if following and following[0].budget and following[0].budget >= 200:
        MdfRequest.objects.for_tenant(tenant).create(
            tenant=tenant,
            partner=partner,
            rule=rule,
            period=period.next().code,
            amount=min(Decimal("1800"), _round_down(following[0].budget)),
            plan="Webinar series with the vendor's engineers.",
        )


def _dated_in(period, request, claim) -> None:
    """The request and its claim dated within their period, as if the partner had asked and claimed then:
    the claim two weeks before the partner's first deal registered in the period (or its middle), so the
    effectiveness report shows what the claimed activity was followed by."""
    start = timezone.make_aware(datetime.combine(period.start, time(9)))
    end = timezone.make_aware(datetime.combine(period.end, time(17)))
    deal = (
        DealRegistration.objects.for_tenant(request.tenant_id)
        .filter(
            partner_id=request.partner_id,
            registered_at__gte=start + timedelta(days=21),
            registered_at__lte=end,
        )
        .order_by("registered_at")
        .values_list("registered_at", flat=True)
        .first()
    )
    claimed = deal - timedelta(days=14) if deal else start + (end - start) / 2
    MdfRequest.objects.for_tenant(request.tenant_id).filter(pk=request.pk).update(created_at=start)
    MdfClaim.objects.for_tenant(request.tenant_id).filter(pk=claim.pk).update(created_at=claimed)


def _round_down(amount: Decimal) -> Decimal:
    """A round figure at most ``amount``: whole hundreds (tens below a thousand)."""
    step = Decimal(100) if amount >= 1000 else Decimal(10)
    return (amount // step) * step
