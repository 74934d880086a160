"""Reads of partners and their records, scoped to a tenant."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce, Now, NullIf
from django.utils import timezone

from partners.choices import OPEN_DEAL_STATUSES, PIPELINE, Stage
from partners.conditions import overdue_q
from partners.filters import PartnerFilter
from partners.models import (
    DealRegistration,
    Objection,
    Partner,
    PartnerUser,
    RelationshipChange,
    Sale,
    StageChange,
    TierChange,
    Visit,
)
from partners.queries import contacts_of, kept_partner_count
from prm.api.filters import names_a_filter


def partner_list(*, tenant):
    """The tenant's partners with their owners, by name."""
    return Partner.objects.for_tenant(tenant).select_related("owner")


def partner_count(*, tenant) -> int:
    """How many partners the tenant has, as the database keeps it (``PartnerCount``: one row read
    instead of a count of every partner; every unfiltered list page asks)."""
    return kept_partner_count(tenant.pk) or 0


def listed_partner_count(*, tenant, access, params) -> int | None:
    """The number of partners a list page or API list shows, when the database keeps it: staff's
    list with no filter in ``params`` (the query string) is every partner of the tenant. None: count."""

    if access.is_partner or names_a_filter(params, PartnerFilter):
        return None
    return partner_count(tenant=tenant)


def partner_history(*, partner) -> list[dict]:
    """Stage changes and tier changes, newest first, with who, when, why."""
    stages = (
        StageChange.objects.for_tenant(partner.tenant_id).filter(partner=partner).select_related("changed_by")
    )
    tiers = (
        TierChange.objects.for_tenant(partner.tenant_id).filter(partner=partner).select_related("changed_by")
    )
    relationships = (
        RelationshipChange.objects.for_tenant(partner.tenant_id)
        .filter(partner=partner)
        .select_related("changed_by")
    )
    events = chain(
        (
            {
                "type": "stage",
                "id": s.pk,
                "at": s.changed_at,
                "by": s.changed_by.username if s.changed_by else None,
                "from": s.from_stage,
                "to": s.to_stage,
                "why": s.description,
                "override": False,
                "axes": None,
            }
            for s in stages
        ),
        (
            {
                "type": "tier",
                "id": t.pk,
                "at": t.changed_at,
                "by": t.changed_by.username if t.changed_by else None,
                "from": t.from_tier,
                "to": t.to_tier,
                "why": t.description,
                "override": t.is_override,
                "axes": t.axes or None,
            }
            for t in tiers
        ),
        (
            {
                "type": "relationship",
                "id": r.pk,
                "at": r.changed_at,
                "by": r.changed_by.username if r.changed_by else None,
                "from": r.from_level,
                "to": r.to_level,
                "why": r.note,
                "override": False,
                "axes": None,
            }
            for r in relationships
        ),
    )
    return sorted(events, key=lambda e: e["at"], reverse=True)


def visit_list(*, tenant):
    return (
        Visit.objects.for_tenant(tenant)
        .select_related("partner", "logged_by", "plan")
        .prefetch_related("objections")
    )


def sale_list(*, tenant):
    return Sale.objects.for_tenant(tenant).select_related("partner")


def deal_list(*, tenant):
    return DealRegistration.objects.for_tenant(tenant).select_related("partner", "decided_by")


def registered_by_partners(*, tenant, deals) -> set[int]:
    """The ids of ``deals`` a partner's own user registered (the others, staff did): one query.
    A pending registration is withdrawn by the side that made it; the vendor rejects a partner's."""
    deals = list(deals)
    users = {deal.registered_by_id for deal in deals if deal.registered_by_id}
    partner_users = set(
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user_id__in=users)
        .values_list("membership__user_id", "partner_id")
    )
    return {deal.pk for deal in deals if (deal.registered_by_id, deal.partner_id) in partner_users}


def deal_conflicts(*, tenant, deals) -> dict[int, list[int]]:
    """For each open deal, the ids of other partners' open registrations for the same customer.

    Same customer = same normalised name, or same e-mail/web domain. A closed
    deal (won, lost, rejected, expired) conflicts with nothing. One query.
    """
    deals = list(deals)
    if not deals:
        return {}
    result = {d.pk: [] for d in deals}
    deals = [d for d in deals if d.status in OPEN_DEAL_STATUSES]
    if not deals:
        return result
    keys = {d.customer_key for d in deals}
    domains = {d.customer_domain for d in deals if d.customer_domain}
    open_deals = (
        DealRegistration.objects.for_tenant(tenant)
        .filter(status__in=OPEN_DEAL_STATUSES, expires_at__gte=timezone.now())
        .filter(Q(customer_key__in=keys) | Q(customer_domain__in=domains))
        .values_list("id", "partner_id", "customer_key", "customer_domain")
    )
    by_key, by_domain = defaultdict(list), defaultdict(list)
    for deal_id, partner_id, key, domain in open_deals:
        by_key[key].append((deal_id, partner_id))
        if domain:
            by_domain[domain].append((deal_id, partner_id))
    for deal in deals:
        candidates = by_key[deal.customer_key] + (
            by_domain[deal.customer_domain] if deal.customer_domain else []
        )
        result[deal.pk] = sorted({i for i, p in candidates if p != deal.partner_id and i != deal.pk})
    return result


def pipeline_summary(*, tenant, partners=None) -> list[dict]:
    """Per stage: partner count, overdue count, average whole days in the stage (one query, read
    from the ``partner_pipeline`` index alone: it counts ``stage``, not ``id``); of
    ``partners`` (a filtered queryset) when given, else of all the tenant's partners."""
    now = timezone.now()
    in_stage = ExpressionWrapper(Now() - F("stage_entered_at"), output_field=DurationField())
    counted = Partner.objects.for_tenant(tenant)
    if partners is not None:
        counted = counted.filter(pk__in=partners.order_by().values("pk"))
    rows = {
        r["stage"]: r
        for r in counted.values("stage").annotate(
            count=Count("stage"), overdue=Count("stage", filter=overdue_q(now)), time_in_stage=Avg(in_stage)
        )
    }
    return [
        {
            "stage": stage,
            "label": Stage(stage).label,
            **{k: rows.get(stage, {}).get(k, 0) for k in ("count", "overdue")},
            "avg_days": rows[stage]["time_in_stage"].days
            if rows.get(stage, {}).get("time_in_stage")
            else None,
        }
        for stage in [*PIPELINE, Stage.LOST, Stage.DORMANT]
    ]


def board_cards(queryset, stages, per_stage: int, after: int = 0) -> list:
    """The partners ``after + 1 … after + per_stage`` of each of ``stages``, soonest due (so overdue)
    first, stage by stage: a query per stage, each reading its first rows from the ``partner_pipeline``
    index (a window over the whole channel numbered 100 000 partners to show 150)."""
    order = [F("stage_due_at").asc(nulls_last=True), "name", "id"]
    return [
        partner
        for stage in stages
        for partner in queryset.filter(stage=stage).order_by(*order)[after : after + per_stage]
    ]


def tier_distribution(*, tenant) -> dict[str, int]:
    """Partners per tier in force (override first), lost ones left out (one aggregate query)."""
    rows = (
        Partner.objects.for_tenant(tenant)
        .exclude(stage=Stage.LOST)
        .annotate(in_force=Coalesce(NullIf("tier_override", Value("")), NullIf("computed_tier", Value(""))))
        .values("in_force")
        .annotate(n=Count("*"))
        .order_by()  # COUNT(*): read from the index alone
    )
    counts = {t: 0 for t in "ABCD"}
    for row in rows:
        if row["in_force"] in counts:
            counts[row["in_force"]] += row["n"]
    return counts


def objection_report(*, tenant, since=None) -> list[dict]:
    """Objections by type and region (one aggregate query)."""
    queryset = Objection.objects.for_tenant(tenant)
    if since:
        queryset = queryset.filter(visit__date__gte=since)
    return list(
        queryset.values("type", "visit__partner__region")
        .annotate(count=Count("id"))
        .order_by("type", "visit__partner__region")
    )


def partner_accounts(*, tenant, partner_ids) -> dict[int, list]:
    """The active user accounts of each partner's people (whom partner notifications go to): one query."""

    links = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(partner_id__in=list(partner_ids), membership__is_active=True)
        .select_related("membership__user")
    )
    accounts = defaultdict(list)
    for link in links:
        accounts[link.partner_id].append(link.membership.user)
    return accounts


#: What a row of the partner list reads of each partner (``partners.api.serializers.partner_row``).
LISTED_FIELDS = (
    "id",
    "tenant_id",
    "name",
    "region",
    "country",
    "industry",
    "website",
    "lines_carried",
    "source",
    "referrer",
    "referral_level",
    "operating_model",
    "on_target_list",
    "key_partner",
    "owner_id",
    "stage",
    "stage_entered_at",
    "stage_due_at",
    "inactive_reason",
    "tier_override",
    "computed_tier",
    "tier_override_reason",
    "tier_axes",
    "tier_computed_at",
    "health",
    "health_reasons",
    "health_computed_at",
    "lead_approved_at",
    "created_at",
)


class ListedPartner:
    """A partner of a list page read as plain values (``listed``): the attributes and properties a
    row reads, without a model instance (building one per row, its relations' descriptors and
    signals, was a tenth of a list request)."""

    tier = Partner.tier
    tier_overridden = Partner.tier_overridden
    overdue = Partner.overdue

    def __init__(self, values: dict):
        self.__dict__ = values

    @property
    def pk(self) -> int:
        return self.id


def listed_values(queryset, columns=LISTED_FIELDS):
    """``queryset`` as the values a list row reads (a sparse row: only its ``columns``, see
    ``partners.api.serializers.partner_fields``): a page of it becomes rows with ``listed``."""
    return queryset.values(*columns)


def listed(page) -> list:
    """A page of ``listed_values`` as ``ListedPartner`` rows."""
    return [ListedPartner(values) for values in page]


def contacts_by_partner(partners: list, fields) -> dict[int, list[dict]]:
    """The contacts of a list page's partners in one statement, each a row of ``fields``, in the
    contacts' order: ``{partner id: [{field: value}]}``. Plain SQL (``queries.contacts_of``): a page
    reads them on every request, and the ORM's building of the query was most of their cost
    (Django's prefetch would also build a model per contact, for rows that are only read)."""
    if not partners:
        return {}
    return contacts_of(partners[0].tenant_id, [p.pk for p in partners], fields)
