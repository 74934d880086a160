"""Leads: entered, imported or sent by the public form, offered to partners by the tenant's rules.

A new lead goes to the first active rule (by position) that takes its region and industry; the
rule's eligible partner with the highest tier weight gets the offer, and among equals the one
offered a lead longest ago (round robin). Eligible: in a stage that may register deals (the
programme's ``selling_stages``), matching the lead's region (and industry, where the rule asks),
under the rule's cap of open leads, and not offered this lead before. The partner answers within
the rule's hours: accepting keeps it; declining (with a reason) or not answering in time passes it
to the next partner. An accepted lead converts into the partner's deal registration, where the
usual conflict detection applies. Every offer is kept with its answer (the lead's history).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import BenefitKind, ReferenceKind
from partners.models import Partner
from partners.programme.settings import programme_for
from partners.reference.vocabularies import Vocabulary
from partners.selectors import partner_accounts
from partners.selling.deals import deal_register
from partners.tiering.benefit_keeping import refuse_contradicting_rule
from partners.tiering.benefits import benefit_values
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.webhooks.events import emit

from ..audit_actions import LeadAudit
from ..benefit_uses import uses_of
from ..choices import OPEN_STATUSES, LeadSource, LeadStatus, OfferOutcome
from ..models import Lead, LeadOffer, LeadRule
from ..payloads import lead_payload

#: the fields a lead is entered with (the form, the API and the import)
LEAD_FIELDS = (
    "customer",
    "contact_name",
    "contact_email",
    "contact_phone",
    "region",
    "industry",
    "product",
    "description",
    "expected_amount",
    "currency",
    "language",
    "external_id",
)


def lead_prepare(*, tenant, source: str = LeadSource.ENTERED, actor=None, **fields) -> Lead:
    """A validated, unsaved lead: reference lists applied, every bad field named."""
    fields = {k: v for k, v in fields.items() if k in LEAD_FIELDS and v is not None}
    fields["currency"] = (fields.get("currency") or tenant.currency).upper()
    vocabulary, errors = Vocabulary(tenant), {}
    for name, kind in (
        ("region", ReferenceKind.REGION),
        ("industry", ReferenceKind.INDUSTRY),
        ("product", ReferenceKind.PRODUCT),
    ):
        try:
            fields[name] = vocabulary.canonical(kind, fields.get(name, ""))
        except ValidationError as exc:
            errors[name] = exc.messages
    if not (fields.get("customer") or "").strip():
        errors["customer"] = [_("Name the customer.")]
    if errors:
        raise ValidationError(errors)
    lead = Lead(
        tenant=tenant,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    lead.full_clean(exclude=["tenant", "partner", "rule", "deal", "created_by"], validate_constraints=False)
    return lead


@transaction.atomic
def lead_create(*, tenant, actor=None, source: str = LeadSource.ENTERED, **fields) -> Lead:
    """Enter a lead and offer it by the rules (it stays new, in the queue, when no partner fits)."""
    lead = lead_prepare(tenant=tenant, source=source, actor=actor, **fields)
    if lead.external_id and Lead.objects.for_tenant(tenant).filter(external_id=lead.external_id).exists():
        raise ValidationError({"external_id": [_("A lead with this external id exists already.")]})
    lead.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=LeadAudit.LEAD_CREATED,
        target=lead,
        changes={"customer": [None, lead.customer], "source": [None, lead.source]},
    )
    lead_offer_next(lead)
    return lead


class Routing:
    """What routing reads once per batch (an import, the expiry job): the active rules, the tiers'
    lead priority and the programme's selling stages."""

    def __init__(self, tenant):
        self.rules = list(LeadRule.objects.for_tenant(tenant).filter(active=True))
        self.priorities = {t: int(v) for t, v in benefit_values(tenant, BenefitKind.LEAD_PRIORITY).items()}
        self.selling_stages = programme_for(tenant).selling_stages

    def rule_for(self, lead) -> LeadRule | None:
        return next((rule for rule in self.rules if rule.takes(lead)), None)


def _next_partner(lead, rule: LeadRule, routing: Routing) -> Partner | None:
    """The rule's eligible partner that gets the lead next: one query."""
    tenant = lead.tenant_id
    open_leads = (
        Lead.objects.for_tenant(tenant)
        .filter(partner=OuterRef("pk"), status__in=OPEN_STATUSES)
        .values("partner")
        .annotate(n=Count("id"))
        .values("n")
    )
    last_offer = (
        LeadOffer.objects.for_tenant(tenant)
        .filter(partner=OuterRef("pk"))
        .order_by("-offered_at")
        .values("offered_at")[:1]
    )
    weights = rule.weights(routing.priorities)
    candidates = (
        Partner.objects.for_tenant(tenant)
        .filter(stage__in=routing.selling_stages)
        .exclude(pk__in=LeadOffer.objects.for_tenant(tenant).filter(lead=lead).values("partner_id"))
    )
    if rule.match_region and lead.region:  # a lead without a region goes to any region
        candidates = candidates.filter(region__iexact=lead.region)
    if rule.match_industry and lead.industry:
        candidates = candidates.filter(industry__iexact=lead.industry)
    candidates = (
        candidates.annotate(
            lead_tier=Coalesce(
                NullIf("tier_override", Value("")), NullIf("computed_tier", Value("")), Value("D")
            )
        )
        .annotate(
            weight=Case(
                *[When(lead_tier=tier, then=Value(int(w))) for tier, w in weights.items()],
                default=Value(0),
                output_field=IntegerField(),
            ),
            open_leads=Coalesce(Subquery(open_leads, output_field=IntegerField()), Value(0)),
            last_offered=Subquery(last_offer),
        )
        .filter(weight__gt=0, open_leads__lt=rule.max_open)
        .order_by("-weight", F("last_offered").asc(nulls_first=True), "pk")
    )
    return candidates.first()


def lead_offer_next(lead: Lead, *, now=None, routing: Routing | None = None) -> LeadOffer | None:
    """Offer the lead to the next partner its rule picks; with none left, it waits in the queue.

    Its status then says why: ``new`` (never offered: no rule or no partner fits), ``declined``
    or ``expired`` (what the last partner offered did)."""
    now = now or timezone.now()
    routing = routing or Routing(lead.tenant)
    rule = routing.rule_for(lead)
    partner = _next_partner(lead, rule, routing) if rule else None
    if partner is None:
        last = (
            LeadOffer.objects.for_tenant(lead.tenant_id)
            .filter(lead=lead)
            .order_by("-offered_at", "-id")
            .first()
        )
        lead.status = LeadStatus.NEW if last is None else LeadStatus(last.outcome)
        lead.partner, lead.respond_by = None, None
        lead.save(update_fields=["status", "partner", "respond_by"])
        return None
    offer = LeadOffer.objects.for_tenant(lead.tenant_id).create(
        tenant_id=lead.tenant_id,
        lead=lead,
        partner=partner,
        offered_at=now,
        respond_by=now + timedelta(hours=rule.respond_within_hours),
    )
    lead.status, lead.partner, lead.rule = LeadStatus.OFFERED, partner, rule
    lead.offered_at, lead.respond_by = now, offer.respond_by
    lead.save(update_fields=["status", "partner", "rule", "offered_at", "respond_by"])
    emit(tenant=lead.tenant, name="lead.offered", data=lambda: lead_payload(lead))
    users = partner_accounts(tenant=lead.tenant_id, partner_ids=[partner.pk])[partner.pk]
    notify(
        tenant=lead.tenant,
        users=users,
        category="leads",
        subject=_("A lead for %(p)s: %(c)s") % {"p": partner.name, "c": lead.customer},
        template="notifications/lead_offered.txt",
        context={"lead": lead, "partner": partner},
    )
    return offer


def _pending_offer(lead: Lead, now) -> LeadOffer:
    if lead.status != LeadStatus.OFFERED:
        raise ValidationError({"status": [_("Only an offered lead can be accepted or declined.")]})
    offer = (
        LeadOffer.objects.for_tenant(lead.tenant_id)
        .select_for_update()
        .filter(lead=lead, partner_id=lead.partner_id, outcome=OfferOutcome.PENDING)
        .first()
    )
    if offer is None or offer.respond_by < now:
        raise ValidationError({"status": [_("The time to answer this lead has passed.")]})
    return offer


def _locked(lead: Lead) -> Lead:
    return Lead.objects.for_tenant(lead.tenant_id).select_for_update().get(pk=lead.pk)


@transaction.atomic
def lead_accept(*, lead: Lead, actor) -> Lead:
    now = timezone.now()
    lead = _locked(lead)
    offer = _pending_offer(lead, now)
    offer.outcome, offer.answered_at = OfferOutcome.ACCEPTED, now
    offer.save(update_fields=["outcome", "answered_at"])
    lead.status = LeadStatus.ACCEPTED
    lead.save(update_fields=["status"])
    audit_record(
        tenant=lead.tenant,
        actor=actor,
        action=LeadAudit.LEAD_ANSWERED,
        target=lead,
        changes={"status": ["offered", "accepted"]},
    )
    emit(tenant=lead.tenant, name="lead.accepted", data=lambda: lead_payload(lead))
    return lead


@transaction.atomic
def lead_decline(*, lead: Lead, actor, reason: str) -> Lead:
    """The partner declines with a reason; the lead goes to the next partner."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the lead is declined.")]})
    now = timezone.now()
    lead = _locked(lead)
    offer = _pending_offer(lead, now)
    offer.outcome, offer.answered_at, offer.reason = OfferOutcome.DECLINED, now, reason.strip()
    offer.save(update_fields=["outcome", "answered_at", "reason"])
    audit_record(
        tenant=lead.tenant,
        actor=actor,
        action=LeadAudit.LEAD_ANSWERED,
        target=lead,
        changes={"status": ["offered", "declined"]},
        reason=reason.strip(),
    )
    declined_by = lead.partner_id
    emit(
        tenant=lead.tenant,
        name="lead.declined",
        data=lambda: {**lead_payload(lead), "declined_by": declined_by, "reason": reason.strip()},
    )
    lead_offer_next(lead, now=now)
    return lead


@transaction.atomic
def lead_convert(*, lead: Lead, actor):
    """An accepted lead becomes the partner's deal registration (conflicts flagged as usual)."""
    lead = _locked(lead)
    if lead.status != LeadStatus.ACCEPTED:
        raise ValidationError({"status": [_("Accept the lead before converting it.")]})
    deal = deal_register(
        partner=lead.partner,
        actor=actor,
        customer=lead.customer,
        expected_amount=lead.expected_amount or 0,
        currency=lead.currency,
        product=lead.product,
        customer_contact=lead.contact_email,
        self_sourced=False,
    )
    lead.status, lead.deal = LeadStatus.CONVERTED, deal
    lead.save(update_fields=["status", "deal"])
    audit_record(
        tenant=lead.tenant,
        actor=actor,
        action=LeadAudit.LEAD_CONVERTED,
        target=lead,
        changes={"deal": [None, deal.pk]},
    )
    emit(tenant=lead.tenant, name="lead.converted", data=lambda: lead_payload(lead))
    return deal


def leads_expire(*, tenant, now=None) -> int:
    """Offers not answered in time expire; each lead goes to its next partner. Returns how many.

    Each lead is locked before its offer is expired, and only an offer still pending is: a partner
    that answered at the last moment keeps its answer."""
    now = now or timezone.now()
    overdue = list(
        LeadOffer.objects.for_tenant(tenant)
        .filter(outcome=OfferOutcome.PENDING, respond_by__lt=now)
        .order_by("respond_by")
        .values_list("pk", "lead_id")
    )
    routing, expired = Routing(tenant), 0
    for offer_id, lead_id in overdue:
        with transaction.atomic():
            lead = Lead.objects.for_tenant(tenant).select_for_update().get(pk=lead_id)
            changed = (
                LeadOffer.objects.for_tenant(tenant)
                .filter(pk=offer_id, outcome=OfferOutcome.PENDING, respond_by__lt=now)
                .update(outcome=OfferOutcome.EXPIRED, answered_at=now)
            )
            if not changed or lead.status != LeadStatus.OFFERED:
                continue
            expired += 1
            lead_offer_next(lead, now=now, routing=routing)
    return expired


@transaction.atomic
def lead_rule_save(*, tenant, actor, rule: LeadRule | None = None, **fields) -> LeadRule:
    """Create or change a rule; its regions and industries take the reference lists' spelling. An
    active rule whose own weight for a tier is not the tier's lead priority (tier benefits) is refused."""
    rule = rule or LeadRule(tenant=tenant)
    vocabulary, errors = Vocabulary(tenant), {}
    for name, kind in (("regions", ReferenceKind.REGION), ("industries", ReferenceKind.INDUSTRY)):
        if name in fields:
            try:
                fields[name] = [vocabulary.canonical(kind, v) for v in fields[name] if v.strip()]
            except ValidationError as exc:
                errors[name] = exc.messages
    weights = fields.get("tier_weights")
    if weights is not None and (
        not isinstance(weights, dict)
        or any(k not in "ABCD" or len(k) != 1 or not isinstance(v, int) or v < 0 for k, v in weights.items())
    ):
        errors["tier_weights"] = [_('Weights per tier as whole numbers of 0 or more, like {"A": 4, "D": 0}.')]
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean(exclude=["tenant"])
    if rule.active:  # its own tier weights may not contradict the tiers' lead priority (tier benefits)
        refuse_contradicting_rule(tenant, uses_of(rule))
    rule.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=LeadAudit.LEAD_RULE_SAVED,
        target=rule,
        changes={k: [None, str(v)] for k, v in fields.items()},
    )
    return rule


@transaction.atomic
def lead_route(*, lead: Lead, actor) -> Lead:
    """Offer a waiting lead (new, declined by every partner, or expired) by the rules again: partners
    that had it before are not asked twice, so a new rule or a new partner is what changes the answer."""
    lead = _locked(lead)
    if lead.status not in (LeadStatus.NEW, LeadStatus.DECLINED, LeadStatus.EXPIRED):
        raise ValidationError({"status": [_("Only a lead waiting in the queue is offered again.")]})
    if lead_offer_next(lead) is None:
        raise ValidationError(
            {"partner": [_("No partner fits the lead rules; add a rule or offer it later.")]}
        )
    return lead


@transaction.atomic
def lead_rule_delete(*, rule: LeadRule, actor) -> None:
    audit_record(
        tenant=rule.tenant,
        actor=actor,
        action=LeadAudit.LEAD_RULE_DELETED,
        target=rule,
        changes={"name": [rule.name, None]},
    )
    rule.delete()
