"""Background work of partners/: tier recomputation and expiring deal protections.

A tier recompute over more partners than ``PRM_TIER_CHUNK`` measures them as one task per range of
partners (their revenue, registrations and visits over the window: the aggregates over the sales);
the range that completes the count places every partner against the whole channel and writes every
tier and health in one transaction (``services.tiers.tiers_join``).
"""

import logging

from celery import shared_task

from prm.jobs.services import job_set_progress
from prm.jobs.tasks import JobTask, TenantTask, fan_out, planned, run_chunk
from prm.tenancy.fanout import for_each_tenant
from prm.tenancy.models import Tenant

from .services.deals import deals_expire
from .services.tiers import TierPlan, tiers_chunk_measure, tiers_join, tiers_plan, tiers_recompute

logger = logging.getLogger(__name__)


@shared_task(base=JobTask, name="partners.recompute_tiers")
def recompute_tiers(job, **params):
    """Recompute the tiers: in place when the partners make one range, else one ``recompute_chunk``
    task per range of partners measures it (any worker takes one); the last range done joins them."""
    tenant = Tenant.objects.get(pk=job.tenant_id)
    plan = tiers_plan(tenant=tenant)
    if len(plan.ranges) <= 1:
        return _recomputed(
            tenant, tiers_recompute(tenant=tenant, progress=lambda f: job_set_progress(job, f))
        )
    return fan_out(job, recompute_chunk, plan)


@shared_task(base=TenantTask, name="partners.recompute_tiers_chunk")
def recompute_chunk(*, tenant_id, job_id, plan, index):
    """One range of partners of a planned recompute; the last range done places and writes them all."""
    plan = planned(TierPlan, plan)
    tenant = Tenant.objects.get(pk=tenant_id)
    run_chunk(
        job_id=job_id,
        token=plan.token,
        name="tier recompute",
        compute=lambda: tiers_chunk_measure(tenant=tenant, plan=plan, index=index),
        join=lambda: tiers_join(tenant=tenant, plan=plan),
        result=lambda joined: _recomputed(tenant, joined),
    )


def _recomputed(tenant, result: dict) -> dict:
    from django.urls import reverse

    return {**result, "url": reverse("partners:tiers", kwargs={"tenant": tenant.slug})}


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
    from collections import defaultdict
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.translation import gettext as _

    from prm.notifications import notify

    from .models import Partner

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
    from collections import defaultdict

    from django.utils.translation import gettext as _

    from prm.notifications import notify

    from .choices import Health
    from .health import describe
    from .models import Partner

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
