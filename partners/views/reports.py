"""The team report: each channel manager's and each region's activity against the playbook."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from partners.choices import Stage
from partners.reports import activity_csv_rows, activity_report
from prm.periods import parse_period, period_containing
from prm.portal.charts import Bar, bar_chart
from prm.portal.responses import CSV, attachment, csv_text
from prm.portal.views import TenantPageMixin
from prm.tenancy.choices import Role

TEAM_ROLES = (Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD)


def report_filters(tenant, params) -> dict:
    """period (default: this quarter; a bad one falls back to it), owner (a member), region."""
    try:
        period = parse_period(params.get("period", "")) if params.get("period") else None
    except Exception:
        period = None
    period = period or period_containing(timezone.localdate())
    owner = None
    if str(params.get("owner", "")).isdigit():
        owner = (
            get_user_model()
            .objects.filter(pk=int(params["owner"]), memberships__tenant=tenant, memberships__is_active=True)
            .first()
        )
    return {"period": period, "owner": owner, "region": (params.get("region") or "").strip()}


def team_members(tenant):
    return (
        get_user_model()
        .objects.filter(
            memberships__tenant=tenant, memberships__is_active=True, memberships__role__in=TEAM_ROLES
        )
        .order_by("username")
    )


def new_per_week_chart(report) -> str:
    bars = [
        Bar(
            str(row["name"]),
            row["new_per_week"],
            note=_("cadence %(c)s") % {"c": report["cadence_per_week"]},
            color="#2e8b57" if row["new_per_week"] >= report["cadence_per_week"] else "#c28a00",
        )
        for row in report["owners"]
        if row["key"] is not None
    ]
    return bar_chart(bars, title=_("New candidates visited per week"), unit="") if bars else ""


class ActivityReportView(TenantPageMixin, TemplateView):
    template_name = "partners/activity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = report_filters(self.tenant, self.request.GET)
        report = activity_report(tenant=self.tenant, **filters)
        for group in ("owners", "regions"):
            for row in report[group]:
                for stage in row["stages"]:
                    stage["label"] = Stage(stage["stage"]).label
        context.update(
            report=report,
            filters=filters,
            members=team_members(self.tenant),
            chart=new_per_week_chart(report),
            export_query=self.request.GET.urlencode(),
        )
        return context


class ActivityExportView(TenantPageMixin, View):
    def get(self, request, *args, **kwargs):
        filters = report_filters(self.tenant, request.GET)
        report = activity_report(tenant=self.tenant, **filters)
        return attachment(
            csv_text(activity_csv_rows(report)),
            CSV,
            f"team-activity-{self.tenant.slug}-{report['period']}.csv",
        )
