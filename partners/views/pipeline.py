"""The pipeline board (by stage) and the tiers page, with their charts."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from partners.choices import INACTIVE, PIPELINE, Stage
from partners.filters import PartnerFilter
from partners.forms.programme import SectionForm, section_forms
from partners.lifecycle.gates import next_stage
from partners.models import Partner
from partners.programme.settings import (
    DEFAULT_TIER_TABLE,
    NAMED_ROWS,
    programme_for,
    programme_save,
    tier_key_words,
    tiering_changed,
    willingness_input_labels,
)
from partners.selectors import board_cards, partner_list, pipeline_summary, tier_distribution
from partners.tasks import recompute_tiers
from prm.jobs.services import job_start
from prm.jobs.views import follow_job
from prm.portal.charts import Bar, bar_chart, funnel_chart
from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin
from prm.programme import programme_sections
from prm.tenancy.capabilities import Capability

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


#: cards a column shows, and how many more each "show more" brings
CARDS_PER_COLUMN = 25
#: the filters the board takes (the partner list's, but the stage: the columns are the stages)
BOARD_FILTERS = ("q", "owner", "region", "tier", "overdue")


class BoardView(TenantPageMixin, TemplateView):
    """Columns by stage: counts, the soonest-due (so overdue) cards first, buttons to move on.

    Filters (owner, region, tier, overdue, a search) narrow the counts and the cards; each column
    shows more of its cards on demand (htmx: ``?column=<stage>&after=<n>`` answers the next cards).
    """

    template_name = "partners/board.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and self.request.GET.get("column"):
            return ["partners/_board_cards.html"]
        return [self.template_name]

    def _partners(self):
        """The board's partners (the access's scope, then the filters) and the filter set."""
        scoped = self.scoped(partner_list(tenant=self.tenant))
        query = {k: self.request.GET.getlist(k) for k in BOARD_FILTERS if any(self.request.GET.getlist(k))}
        if not query:
            return scoped, None, PartnerFilter(None, queryset=scoped, request=self.request)
        params = self.request.GET.copy()
        for key in list(params):
            if key not in BOARD_FILTERS:
                del params[key]
        filterset = PartnerFilter(params, queryset=scoped, request=self.request)
        chosen = filterset.qs.order_by().values("pk")  # a subquery: the search may join contacts
        return scoped.filter(pk__in=chosen), chosen, filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners, chosen, filterset = self._partners()
        query = filterset.data.urlencode() if filterset.data else ""
        programme = programme_for(self.tenant)
        labels = {stage: label for stage, label in Stage.choices}
        column = self.request.GET.get("column")
        if column in PIPELINE and self.request.headers.get("HX-Request"):  # the next cards of one column
            after = _int(self.request.GET.get("after"))
            count = partners.filter(stage=column).count()
            cards = board_cards(partners, [column], CARDS_PER_COLUMN, after)
            shown = after + len(cards)
            context["column"] = {
                "stage": column,
                "label": labels[column],
                "next": next_stage(column),
                "next_label": labels.get(next_stage(column)),
                "cards": cards,
                "shown": shown,
                "more": count - shown,
            }
            context["filter_query"] = query
            return context
        summary = pipeline_summary(tenant=self.tenant, partners=chosen)
        columns = {
            row["stage"]: {
                **row,
                "time_box": programme.time_box_days(row["stage"]),
                "next": next_stage(row["stage"]),
                "next_label": labels.get(next_stage(row["stage"])),
                "cards": [],
            }
            for row in summary
            if row["stage"] in PIPELINE
        }
        for partner in board_cards(partners, list(columns), CARDS_PER_COLUMN):
            columns[partner.stage]["cards"].append(partner)
        for row in columns.values():
            row["shown"] = len(row["cards"])
            row["more"] = row["count"] - row["shown"]
        inactive = {row["stage"]: row["count"] for row in summary if row["stage"] in INACTIVE}
        context.update(
            columns=list(columns.values()),
            inactive=inactive,
            funnel=funnel_svg(self.tenant, summary),
            filter=filterset,
            filter_query=query,
            filtered=chosen is not None,
            owners=_owners(self.tenant),
            now=timezone.now(),
        )
        return context


def _owners(tenant):
    """Whom the board filters by: the members who own partners (not every partner user)."""
    owning = Partner.objects.for_tenant(tenant).exclude(owner=None).order_by().values("owner_id")
    return get_user_model().objects.filter(pk__in=owning).order_by("first_name", "last_name", "username")


def _int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


class TiersView(TenantPageMixin, TemplateView):
    """Tier distribution, the tenant's rule in words, and recomputation."""

    template_name = "partners/tiers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = programme_for(self.tenant)
        rows = [
            {
                **tier_key_words(key),
                "key": key,
                "tier": tier,
                "named": key in NAMED_ROWS,
                "changed": tier != DEFAULT_TIER_TABLE[key],
            }
            for key, tier in programme.tier_table.items()
        ]
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
        return follow_job(request, job)


class ProgrammeView(TenantPageMixin, TemplateView):
    """Admins set the programme's settings: partners' time boxes, deal protection and tiering, and
    every other app's section (``prm.programme``). Each section is its own form with its own save
    (``section`` names it): a save stores only that section's names; its errors come back in it,
    400, the other sections as stored."""

    template_name = "partners/programme.html"
    capability = Capability.EDIT_PROGRAMME

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forms"] = section_forms(self.tenant, bound=kwargs.get("bound"))
        return context

    def post(self, request, *args, **kwargs):
        section = next((s for s in programme_sections() if s.key == request.POST.get("section")), None)
        if section is None:
            messages.error(request, _("Save one section of the page."))
            return self.render_to_response(self.get_context_data(), status=400)
        form = SectionForm(section, request.POST, tenant_slug=self.tenant.slug)
        if form.is_valid():
            before = programme_for(self.tenant)
            try:
                after = programme_save(tenant=self.tenant, actor=request.user, values=form.values())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return self.saved(section, before, after)
        return self.render_to_response(self.get_context_data(bound=form), status=400)

    def saved(self, section, before, after):
        messages.success(self.request, _("%(section)s: settings saved.") % {"section": section.title})
        if tiering_changed(before, after):  # the tiers follow the new rule: recompute them now
            job = job_start(
                tenant=self.tenant,
                kind="recompute_tiers",
                task=recompute_tiers,
                requested_by=self.request.user,
            )
            return redirect("jobs:detail", tenant=self.tenant.slug, pk=job.pk)
        url = reverse("partners:programme", kwargs={"tenant": self.tenant.slug})
        return redirect(f"{url}#programme-{section.key}")
