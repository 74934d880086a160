"""What waits for a member's decision, oldest first: the approval queue (a page and a dashboard card).

A queue is one kind of decision: a candidate to approve for signing, a deal registration to
approve or reject, an MDF request or claim to decide. Apps declare theirs in their plugs module
(``approval_queues = [ApprovalQueue(...)]``, the kind partners offers); a member sees the queues
whose ``capability`` its role holds (``prm.tenancy.capabilities``), so a regional lead sees the
signing requests and the deals it may decide, and MDF only where its role decides MDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.audit_actions import PartnerAudit
from partners.choices import DealStatus, Stage
from partners.models import Partner
from partners.selectors import deal_list
from prm.audit.models import AuditEntry
from prm.tenancy.capabilities import Capability, allows

#: how many of a queue's items its page lists (the count is of all of them)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for a decision: for which partner, what, since when, asked by whom."""

    partner_id: int
    partner: str
    what: str
    since: datetime
    #: what it is worth, where it is money (a deal's expected amount, an MDF request)
    amount: Decimal | None = None
    currency: str = ""
    asked_by: str = ""
    note: str = ""
    #: where it is decided
    url: str = ""
    #: a signing request is approved from the queue itself (its partner's id)
    approve: int | None = None


@dataclass(frozen=True)
class ApprovalQueue:
    """A kind of decision: ``waiting(tenant, limit) -> (count, [Waiting] oldest first)``, shown to
    the roles that hold ``capability``; ``url_name`` (with ``query``) is the page that lists all
    of them."""

    key: str
    label: str
    capability: Capability
    waiting: Callable
    url_name: str
    query: str = ""
    order: int = 100


_queues: dict[str, ApprovalQueue] = {}


def register_approval_queue(queue: ApprovalQueue) -> None:
    """Add a queue (one of the same key is replaced); ``prm.plugs`` calls it for each declared one."""
    _queues[queue.key] = queue


def queues_for(role: str) -> list[ApprovalQueue]:
    """The queues ``role`` decides, in their order."""
    return sorted((q for q in _queues.values() if allows(role, q.capability)), key=lambda q: q.order)


def waiting_for(*, tenant, role: str, limit: int = PAGE_SIZE) -> list[dict]:
    """Each queue of ``role`` with its count and its oldest ``limit`` items:
    ``[{queue, url, count, items}]``."""
    sections = []
    for queue in queues_for(role):
        count, items = queue.waiting(tenant, limit)
        sections.append(
            {
                "queue": queue,
                "url": reverse(queue.url_name, kwargs={"tenant": tenant.slug}) + queue.query,
                "count": count,
                "items": items,
            }
        )
    return sections


# --- partners' queues ---------------------------------------------------------------------------


def signing_requests(tenant, limit: int) -> tuple[int, list[Waiting]]:
    """Candidates whose owner asked the regional lead to approve them for signing and that wait
    (in first talks or selection, not approved yet), by the first time it was asked."""
    asked = AuditEntry.objects.for_tenant(tenant).filter(
        action=PartnerAudit.APPROVAL_REQUESTED,
        target_type="partners.partner",
        target_id=Cast(OuterRef("pk"), CharField()),
    )
    partners = (
        Partner.objects.for_tenant(tenant)
        .filter(stage__in=[Stage.FIRST_TALKS, Stage.SELECTION], lead_approved_at__isnull=True)
        .annotate(asked_at=Subquery(asked.order_by("created_at").values("created_at")[:1]))
        .filter(asked_at__isnull=False)
        .order_by("asked_at", "pk")
    )
    page = list(partners[:limit])
    first = _first_requests(tenant, [p.pk for p in page])
    items = [
        Waiting(
            partner_id=p.pk,
            partner=p.name,
            what=_("Approval for signing (%(stage)s)") % {"stage": p.get_stage_display()},
            since=p.asked_at,
            asked_by=first[p.pk][0],
            note=first[p.pk][1],
            url=reverse("partners:detail", kwargs={"tenant": tenant.slug, "pk": p.pk}) + "#approval",
            approve=p.pk,
        )
        for p in page
    ]
    return (len(page) if len(page) < limit else partners.count()), items


def _first_requests(tenant, partner_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Who asked first for each partner, and the note: one query for the page's partners."""
    entries = (
        AuditEntry.objects.for_tenant(tenant)
        .filter(
            action=PartnerAudit.APPROVAL_REQUESTED,
            target_type="partners.partner",
            target_id__in=[str(pk) for pk in partner_ids],
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    first = {}
    for entry in entries:  # newest first: the oldest one is written last
        first[int(entry.target_id)] = (entry.actor.get_username() if entry.actor else "", entry.reason)
    return first


def pending_deals(tenant, limit: int) -> tuple[int, list[Waiting]]:
    """Deal registrations waiting for approval, the longest waiting first."""
    deals = deal_list(tenant=tenant).filter(status=DealStatus.PENDING).select_related("registered_by")
    deals = deals.order_by("registered_at", "pk")
    page = list(deals[:limit])
    url = reverse("partners:deals", kwargs={"tenant": tenant.slug}) + "?status=pending"
    items = [
        Waiting(
            partner_id=d.partner_id,
            partner=d.partner.name,
            what=_("Deal registration: %(customer)s") % {"customer": d.customer},
            since=d.registered_at,
            amount=d.expected_amount,
            currency=d.currency,
            asked_by=d.registered_by.get_username() if d.registered_by else "",
            url=url,
        )
        for d in page
    ]
    return (len(page) if len(page) < limit else deals.count()), items


SIGNING = ApprovalQueue(
    "signing",
    gettext_lazy("Approvals for signing"),
    Capability.APPROVE_SIGNING,
    signing_requests,
    "partners:list",
    query="?stage=first_talks&stage=selection",
    order=10,
)
DEALS = ApprovalQueue(
    "deals",
    gettext_lazy("Deal registrations to decide"),
    Capability.DECIDE_DEAL,
    pending_deals,
    "partners:deals",
    query="?status=pending",
    order=20,
)


def panel(request) -> dict:
    """The dashboard card: each queue's count and how long its oldest has waited."""
    access = request.tenant_access
    return {"sections": waiting_for(tenant=access.tenant, role=access.role, limit=1)}
