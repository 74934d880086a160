"""Background work of partners/: tier recomputation, expiring deal protections, owners' reminders.

A tier recompute is the computation ``services.tiers.TIERS``: in place when the partners make one
range of ``PRM_TIER_CHUNK``, else one task per range of partners measures it (their revenue,
registrations and visits over the window: the aggregates over the sales), and the range that
completes the count places every partner against the whole channel and writes every tier and
health in one transaction (``prm.jobs.tasks.run_computation``).
"""

import logging
from collections import defaultdict
from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import Health
from partners.health.signals import describe
from partners.live import refresh
from partners.models import Partner
from partners.selling.conversion import Span, sales_reconvert_audited
from partners.selling.deals import deals_expire
from partners.tiering.recompute import TIERS, tiers_recompute
from prm.currency.models import ExchangeRate
from prm.jobs.tasks import JobTask, TenantTask, run_computation
from prm.notifications import notify
from prm.tenancy.fanout import for_each_tenant
from prm.tenancy.models import Tenant

logger = logging.getLogger(__name__)


@shared_task(base=JobTask, name="partners.recompute_tiers")
def recompute_tiers(job, **params):
    """Recompute the tiers (``TIERS``): in place, or over ranges of partners on several workers."""
    return run_computation(job, TIERS)


@shared_task(base=JobTask, name="partners.reconvert_sales")
def reconvert_sales(job, *, currency: str, since: str, until: str | None, rate: int, **params):
    """Re-convert the sales a new rate applies to (``rate``: its id), audited; the result says
    which periods' figures moved (``partners.selling.conversion.sales_reconvert``). Idempotent: a
    second run finds nothing left to move."""
    span = Span.from_params({"currency": currency, "since": since, "until": until})
    cause = ExchangeRate.objects.for_tenant(job.tenant_id).get(pk=rate)
    return sales_reconvert_audited(tenant=job.tenant, actor=job.requested_by, span=span, rate=cause)


@shared_task(name="partners.nightly")
def nightly():
    """Beat: for every tenant, expire lapsed deal protections and recompute tiers."""

    def work(tenant):
        expired = deals_expire(tenant=tenant)
        return {"expired": expired, **tiers_recompute(tenant=tenant)}

    return for_each_tenant("partners.nightly", work)


@shared_task(name="partners.time_box_reminders")
def time_box_reminders():
    """Beat, daily: tell each owner which of their partners are due within three days or overdue."""
    soon = timezone.now() + timedelta(days=3)

    def work(tenant):
        sent, by_owner = 0, defaultdict(list)
        due = Partner.objects.filter(
            stage_due_at__lte=soon, owner__memberships__tenant=tenant, owner__memberships__is_active=True
        )
        for partner in due.select_related("owner"):
            by_owner[partner.owner].append(partner)
        for owner, partners in by_owner.items():
            sent += notify(
                tenant=tenant,
                users=[owner],
                category="time_boxes",
                subject=_("%(n)d partners due or overdue in their stage") % {"n": len(partners)},
                template="notifications/time_boxes.txt",
                context={"partners": partners},
            )
        return {"sent": sent}

    return for_each_tenant("partners.time_box_reminders", work)


@shared_task(name="partners.health_digest")
def health_digest():
    """Beat, weekly: e-mail each owner its partners that need attention, at risk first, with why."""

    def work(tenant):
        sent, by_owner = 0, defaultdict(list)
        flagged = (
            Partner.objects.for_tenant(tenant)
            .filter(owner__memberships__tenant=tenant, owner__memberships__is_active=True)
            .exclude(health=Health.OK)
            .select_related("owner")
            .order_by("health", "name")  # at_risk, then watch
        )
        for partner in flagged:
            partner.reasons = describe(partner.health_reasons)
            by_owner[partner.owner].append(partner)
        for owner, partners in by_owner.items():
            sent += notify(
                tenant=tenant,
                users=[owner],
                category="health",
                subject=_("%(n)d of your partners need attention") % {"n": len(partners)},
                template="notifications/health_digest.txt",
                context={"partners": partners},
            )
        return {"sent": sent}

    return for_each_tenant("partners.health_digest", work)


@shared_task(base=TenantTask, name="partners.refresh_live")
def refresh_live(*, tenant_id: int, partner_id: int):
    """One partner's live figures brought up to date (``partners.live``), a few seconds after a change."""
    refresh(Tenant.objects.get(pk=tenant_id), partner_id)
