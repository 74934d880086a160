"""The shell's own dashboard panels: the team, recent activity, recent jobs."""

from django.db.models import Count

from prm.audit.selectors import audit_entries
from prm.jobs.selectors import jobs_of
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership


def team(request) -> dict:
    counts = dict(
        Membership.objects.filter(tenant=request.tenant, is_active=True)
        .values_list("role")
        .annotate(n=Count("id"))
    )
    return {"roles": [{"label": label, "count": counts.get(value, 0)} for value, label in Role.choices]}


def activity(request) -> dict:
    return {"entries": list(audit_entries(tenant=request.tenant)[:8])}


def recent_jobs(request) -> dict:
    return {"jobs": list(jobs_of(tenant=request.tenant)[:5])}
