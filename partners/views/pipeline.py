"""The pipeline board (by stage) and the tiers page, with their charts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from prm.jobs.services import job_start
from prm.portal.charts import Bar, bar_chart, funnel_chart
from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from ..choices import INACTIVE, PIPELINE
from ..forms import ProgrammeForm
from ..lifecycle import next_stage
from ..programme import (
    DEFAULT_TIER_TABLE,
    NAMED_ROWS,
    programme_for,
    programme_save,
    tier_key_words,
    tiering_changed,
    willingness_input_labels,
)
from ..selectors import board_cards, partner_list, pipeline_summary, tier_distribution
from ..tasks import recompute_tiers

TIER_COLORS = {"A": "#2e8b57", "B": "#1f5f8b", "C": "#c28a00", "D": "#b3261e"}


def funnel_svg(tenant, summary=None):
    """How many partners reached each stage (those in it or beyond it), top to bottom."""
    summary = [row for row in summary or pipeline_summary(tenant=tenant) if row["stage"] in PIPELINE]
    reached, total = [], 0
    for row in reversed(summary):
        total += row["count"]
        reached.append(Bar(row["label"], total))
    return funnel_chart(list(reversed(reached)), title=_("Pipeline funnel: partners that reached each stage"))


def tier_svg(tenant):
    counts = tier_distribution(tenant=tenant)
    return bar_chart(
        [Bar(_("Tier %(t)s") % {"t": t}, n, TIER_COLORS[t]) for t, n in counts.items()],
        title=_("Partners by tier"),
    )


#: cards a column shows; the rest are one click away in the filtered partner list
CARDS_PER_COLUMN = 25


class BoardView(TenantPageMixin, TemplateView):
    """Columns by stage: cards with due dates, overdue highlighted, buttons to move on."""

    template_name = "partners/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        programme = programme_for(self.tenant)
        summary = pipeline_summary(tenant=self.tenant)
        columns = {
            row["stage"]: {**row, "time_box": programme.time_box_days(row["stage"]), "next": next_stage(row["stage"]),
                           "cards": []}
            for row in summary if row["stage"] in PIPELINE
        }  # fmt: skip
        cards = board_cards(
            self.scoped(partner_list(tenant=self.tenant)).exclude(stage__in=INACTIVE), CARDS_PER_COLUMN
        )
        for partner in cards:
            columns[partner.stage]["cards"].append(partner)
        for column in columns.values():
            column["more"] = column["count"] - len(column["cards"])
        inactive = {row["stage"]: row["count"] for row in summary if row["stage"] in INACTIVE}
        context.update(
            columns=list(columns.values()),
            inactive=inactive,
            funnel=funnel_svg(self.tenant, summary),
            now=now,
        )
        return context


class TiersView(TenantPageMixin, TemplateView):
    """Tier distribution, the tenant's rule in words, and recomputation."""

    template_name = "partners/tiers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = programme_for(self.tenant)
        rows = [
            {**tier_key_words(key), "key": key, "tier": tier, "named": key in NAMED_ROWS,
             "changed": tier != DEFAULT_TIER_TABLE[key]}
            for key, tier in programme.tier_table.items()
        ]  # fmt: skip
        context.update(
            chart=tier_svg(self.tenant),
            rule=sorted(rows, key=lambda r: (r["tier"], not r["named"])),
            programme=programme,
            willingness_weights=[
                {"label": label, "weight": programme.willingness_weights.get(name, 0)}
                for name, label in willingness_input_labels().items()
            ],
        )
        return context


class TierRecomputeView(TenantPageMixin, View):
    capability = Capability.RECOMPUTE_TIERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        job = job_start(
            tenant=self.tenant, kind="recompute_tiers", task=recompute_tiers, requested_by=request.user
        )
        return redirect("jobs:detail", tenant=self.tenant.slug, pk=job.pk)


class ProgrammeView(TenantPageMixin, FormView):
    """Admins set the programme's time boxes, deal protection and tier thresholds."""

    template_name = "partners/programme.html"
    form_class = ProgrammeForm
    capability = Capability.EDIT_PROGRAMME

    def get_initial(self):
        return ProgrammeForm.initial_for(programme_for(self.tenant))

    def form_valid(self, form):
        before = programme_for(self.tenant)
        try:
            after = programme_save(tenant=self.tenant, actor=self.request.user, values=form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Programme settings saved. New due dates apply from the next move."))
        if tiering_changed(before, after):  # the tiers follow the new rule: recompute them now
            job = job_start(
                tenant=self.tenant,
                kind="recompute_tiers",
                task=recompute_tiers,
                requested_by=self.request.user,
            )
            return redirect("jobs:detail", tenant=self.tenant.slug, pk=job.pk)
        return redirect("partners:programme", tenant=self.tenant.slug)
