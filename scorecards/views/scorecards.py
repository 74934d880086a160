"""The scorecard table, one scorecard (page and PDF), computing and batch PDFs."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import ListView, TemplateView, View

from prm.jobs.services import job_start
from prm.jobs.views import follow_job
from prm.pdf import reader_language
from prm.periods import parse_period
from prm.portal.responses import PDF, attachment
from prm.portal.views import TenantPageMixin, refused
from prm.tenancy.capabilities import Capability

from .. import selectors
from ..cohorts import cohort_words
from ..filters import ScorecardFilter
from ..models import Scorecard
from ..pdf import render_scorecard
from ..presenting import scorecard_context
from ..programme import scorecard_programme_for
from ..tasks import compute, start_pdf_batch

SORTS = {"score": "-score", "rank": "rank", "partner": "partner__name", "change": "previous_score"}


def latest_period(tenant) -> str | None:
    cards = Scorecard.objects.for_tenant(tenant).current()
    return cards.order_by("-period").values_list("period", flat=True).first()


class ScorecardListView(TenantPageMixin, ListView):
    """Managers: every partner's scorecard of a period. Partners: their own."""

    template_name = "scorecards/list.html"
    context_object_name = "scorecards"
    paginate_by = 50
    capability = Capability.READ
    partner_scope = "partner"

    def get_queryset(self):
        params = self.request.GET.copy()
        if not self.access.is_partner:
            params.setdefault("period", latest_period(self.tenant) or "")
        self.period = params.get("period", "")
        queryset = self.scoped(selectors.scorecard_list(tenant=self.tenant))
        self.filterset = ScorecardFilter(params, queryset=queryset, request=self.request)
        default = "-period" if self.access.is_partner else "-score"
        return self.filterset.qs.order_by(SORTS.get(self.request.GET.get("sort"), default), "partner__name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        periods = (
            Scorecard.objects.for_tenant(self.tenant)
            .current()
            .values_list("period", flat=True)
            .distinct()
            .order_by("-period")
        )
        context.update(
            period=self.period,
            periods=list(periods),
            filter=self.filterset,
        )
        return context


class ScorecardDetailView(TenantPageMixin, TemplateView):
    """One scorecard: KPI table, gauge, trend, cohort and dimension balance, and its earlier revisions
    (partners see their own). A withdrawn scorecard still answers, marked as such."""

    template_name = "scorecards/detail.html"
    capability = Capability.READ
    partner_scope = "partner"
    model = Scorecard

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        card = get_object_or_404(
            self.scoped(selectors.scorecard_detail(tenant=self.tenant)), pk=self.kwargs["pk"]
        )
        context.update(scorecard_context(card, name_others=not self.access.is_partner))
        min_size = scorecard_programme_for(self.tenant).min_cohort_size
        context["history"] = list(selectors.scorecard_history(scorecard=card))
        for old in context["history"]:
            old.cohort_words = cohort_words(old, min_size)
        return context


class ScorecardPdfView(TenantPageMixin, View):
    capability = Capability.READ
    partner_scope = "partner"
    model = Scorecard

    def get(self, request, *args, **kwargs):
        card = get_object_or_404(self.scoped(selectors.scorecard_detail(tenant=self.tenant)), pk=kwargs["pk"])
        return attachment(
            render_scorecard(card, reader_language(request)),
            PDF,
            f"scorecard-{card.partner_id}-{card.period}.pdf",
        )


class ComputeView(TenantPageMixin, View):
    """POST period (and ``what=compute|pdfs``): start the job and show its progress."""

    capability = Capability.COMPUTE_SCORECARDS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            period = parse_period(request.POST.get("period", "")).code
        except ValidationError as exc:
            return refused(request, exc, reverse("scorecards:list", kwargs={"tenant": self.tenant.slug}))
        pdfs = request.POST.get("what") == "pdfs"
        job = job_start(
            tenant=self.tenant,
            kind="scorecard_pdfs" if pdfs else "compute_scorecards",
            task=start_pdf_batch if pdfs else compute,
            requested_by=request.user,
            params={"period": period},
        )
        return follow_job(request, job)
