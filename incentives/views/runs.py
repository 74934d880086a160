"""Payout runs: the list, one run (totals, lines, warnings, approval, exports), statements."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from partners.models import Partner
from prm.imports import ImportRejected
from prm.jobs.services import job_start
from prm.jobs.views import follow_job
from prm.ops import metrics
from prm.pdf import reader_language
from prm.periods import parse_period
from prm.portal.paging import CappedPaginator
from prm.portal.views import TenantPageMixin, refused
from prm.tenancy.capabilities import Capability, allows

from .. import run_warnings as checks
from .. import selectors
from ..choices import FINAL_RUN_STATUSES
from ..exports import run_download, statement_download
from ..forms import AdjustmentForm, PartnerChoiceForm, PaymentForm, PaymentsImportForm, PeriodForm
from ..models import PayoutLine, PayoutRun, PointsEntry
from ..money import to_cents
from ..services import four_eyes, payments, runs
from ..services.run_periods import ensure_started
from ..tasks import compute_run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RunListView(TenantPageMixin, TemplateView):
    template_name = "incentives/runs.html"
    post_capability = Capability.COMPUTE_PAYOUT_RUN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PeriodForm())
        runs = list(selectors.run_summaries(tenant=self.tenant))
        accruals = selectors.accruals(tenant=self.tenant)
        by_run = {row["id"]: row for row in accruals["runs"]}
        for run in runs:
            run.paid, run.payable = by_run[run.pk]["paid"], by_run[run.pk]["payable"]
        context.update(runs=runs, accruals=accruals)
        return context

    def post(self, request, *args, **kwargs):
        form = PeriodForm(request.POST)
        try:
            period = parse_period(request.POST.get("period", ""))
            ensure_started(period)
            period = period.code
        except ValidationError as exc:
            form.is_valid()
            form.add_error("period", exc.message_dict["period"])
            return self.render_to_response(self.get_context_data(form=form), status=400)
        existing = PayoutRun.objects.for_tenant(self.tenant).filter(period=period).first()
        try:
            runs.ensure_recomputable(existing)
        except runs.RunNotDraft as exc:
            page = reverse("incentives:run", kwargs={"tenant": self.tenant.slug, "pk": existing.pk})
            return refused(request, exc, page)
        job = job_start(
            tenant=self.tenant,
            kind="payout_run",
            task=compute_run,
            requested_by=request.user,
            params={"period": period},
        )
        return follow_job(request, job)


class RunDetailView(TenantPageMixin, TemplateView):
    template_name = "incentives/run.html"
    model = PayoutRun

    def get_run(self):
        # its warnings are rows: the page shows them by kind, counted and sampled in the database
        return get_object_or_404(selectors.run_summaries(tenant=self.tenant), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        lines = selectors.line_list(tenant=self.tenant, run=run)
        partner = self.request.GET.get("partner", "")
        if partner.isdigit():
            lines = lines.filter(partner_id=partner)
        pages = CappedPaginator(lines, 100)
        partners = CappedPaginator(
            selectors.run_partner_totals(tenant=self.tenant, run=run),
            50,
            counted=selectors.run_partner_ids(tenant=self.tenant, run=run),
        )
        kept = run.summary or {}
        if "partners" in kept:  # counted when the run was computed (capped as the paginator caps)
            partners.count = min(kept["partners"], partners.cap + 1)
            if not partner.isdigit():
                pages.count = min(kept["lines"], pages.cap + 1)
        page = pages.get_page(self.request.GET.get("page"))
        partner_page = partners.get_page(self.request.GET.get("partners_page"))
        paid = {
            p.partner_id: p
            for p in selectors.payment_list(tenant=self.tenant).filter(
                run=run, partner_id__in=[row["partner_id"] for row in partner_page.object_list]
            )
        }
        for row in partner_page.object_list:
            row["total"] = to_cents(row["total"])
            row["payment"] = paid.get(row["partner_id"])
        context.setdefault("adjustment_form", AdjustmentForm(tenant=self.tenant))
        warning_groups = checks.groups(run)
        can_approve = run.is_draft and allows(self.access.role, Capability.APPROVE_PAYOUT_RUN)
        me = self.request.user.pk
        adjusted_by_me = can_approve and me in four_eyes.adjusters(run)
        context.update(
            # four eyes: who changed what the run pays is told so, and offered no approval it would be refused
            adjusted_by_me=adjusted_by_me,
            own_changes=can_approve and (adjusted_by_me or me in four_eyes.rule_editors(run)),
        )
        context.update(
            run=run,
            totals=selectors.run_totals(tenant=self.tenant, run=run),
            page_obj=page,
            lines=page.object_list,
            is_paginated=page.has_other_pages(),
            partner_page=partner_page,
            warning_groups=warning_groups,
            open_warnings=[g["code"] for g in warning_groups if not g["acknowledged"]],
            can_approve=can_approve,
            can_export=not run.is_draft and allows(self.access.role, Capability.EXPORT_PAYOUT_RUN),
            payment_form=PaymentForm(tenant=self.tenant),
            payments_import_form=PaymentsImportForm(),
            paid_count=selectors.payment_list(tenant=self.tenant).filter(run=run).count(),
            owed_count=len(selectors.amounts_owed(tenant=self.tenant, run=run)) if not run.is_draft else 0,
        )
        return context


class RunAcknowledgeView(TenantPageMixin, View):
    """Finance has checked one kind of warning of a draft run."""

    capability = Capability.APPROVE_PAYOUT_RUN
    model = PayoutRun

    def post(self, request, *args, **kwargs):
        run = get_object_or_404(PayoutRun.objects.for_tenant(self.tenant), pk=kwargs["pk"])
        page = reverse("incentives:run", kwargs={"tenant": self.tenant.slug, "pk": run.pk})
        try:
            runs.payout_run_acknowledge(run=run, actor=request.user, code=request.POST.get("code", ""))
        except ValidationError as exc:
            return refused(request, exc, page)
        messages.success(request, _("Acknowledged."))
        return redirect(f"{page}#warnings")


class RunWarningsCsvView(TenantPageMixin, View):
    """Every warning of a run (or of one kind: ``?code=``) as CSV."""

    model = PayoutRun

    def get(self, request, *args, **kwargs):
        run = get_object_or_404(PayoutRun.objects.for_tenant(self.tenant), pk=kwargs["pk"])
        return checks.csv_download(run, request.GET.get("code") or None)


class RunExportView(TenantPageMixin, View):
    """The export file of an approved run (a download only: marking it exported is its own POST)."""

    capability = Capability.EXPORT_PAYOUT_RUN
    model = PayoutRun

    def get(self, request, *args, **kwargs):
        run = get_object_or_404(PayoutRun.objects.for_tenant(self.tenant), pk=kwargs["pk"])
        kind = request.GET.get("format", "csv")
        if kind not in ("csv", "xlsx"):
            raise Http404
        if run.is_draft:
            messages.error(request, _("Approve the run before exporting it."))
            return redirect("incentives:run", tenant=self.tenant.slug, pk=run.pk)
        return run_download(self.tenant, run, kind)


class RunActionView(TenantPageMixin, View):
    """A finance action on one run (POST), then back to the run page with what happened."""

    model = PayoutRun
    http_method_names = ["post"]
    anchor = "#payments"

    def post(self, request, *args, **kwargs):
        run = get_object_or_404(PayoutRun.objects.for_tenant(self.tenant), pk=kwargs["pk"])
        page = reverse("incentives:run", kwargs={"tenant": self.tenant.slug, "pk": run.pk})
        try:
            response = self.perform(run)
        except ValidationError as exc:
            return refused(request, exc, page)
        return response or redirect(f"{page}{self.anchor}")


class RunApproveView(RunActionView):
    capability = Capability.APPROVE_PAYOUT_RUN
    anchor = ""

    def perform(self, run):
        runs.payout_run_approve(
            run=run,
            actor=self.request.user,
            acknowledge_warnings=bool(self.request.POST.get("acknowledge_warnings")),
        )
        messages.success(self.request, _("Approved. The run and its lines are final now."))


class RunAdjustmentView(RunActionView):
    capability = Capability.APPROVE_PAYOUT_RUN
    anchor = ""

    def perform(self, run):
        form = AdjustmentForm(self.request.POST, tenant=self.tenant)
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[f].label}: {e}" if f != "__all__" else e
                    for f, errs in form.errors.items()
                    for e in errs
                ]
            )
        runs.payout_adjustment_add(run=run, actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Adjustment added."))


class RunMarkExportedView(RunActionView):
    capability = Capability.EXPORT_PAYOUT_RUN

    def perform(self, run):
        runs.payout_run_mark_exported(run=run, actor=self.request.user)
        messages.success(self.request, _("Marked as exported."))


class RunPaymentView(RunActionView):
    capability = Capability.RECORD_PAYMENTS

    def perform(self, run):
        form = PaymentForm(self.request.POST, tenant=self.tenant)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() for e in errs]
            )
        payments.payment_record(run=run, actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Payment recorded."))


class RunPaymentsImportView(RunActionView):
    capability = Capability.RECORD_PAYMENTS

    def perform(self, run):

        form = PaymentsImportForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise ValidationError(_("Choose a CSV file."))
        try:
            result = payments.payments_import(
                run=run, actor=self.request.user, file=form.cleaned_data["file"]
            )
        except ImportRejected as rejected:
            metrics.import_refused(len(rejected.errors))
            raise ValidationError(
                [_("Row %(row)s, %(field)s: %(message)s") % e for e in rejected.errors[:20]]
                + [_("Nothing was imported.")]
            ) from None
        messages.success(
            self.request,
            _("%(c)d payments recorded, %(u)d known already.") % {"c": result.created, "u": result.unchanged},
        )


class MyPayoutsView(TenantPageMixin, TemplateView):
    """A partner's statements (approved runs) and points; staff see a partner's via ?partner=."""

    template_name = "incentives/my_payouts.html"
    capability = Capability.READ
    partner_scope = "partner"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        picker = PartnerChoiceForm(self.request.GET or None, tenant=self.tenant)
        if self.access.partner_id:
            partner = get_object_or_404(Partner.objects.for_tenant(self.tenant), pk=self.access.partner_id)
        else:
            partner = picker.cleaned_data.get("partner") if picker.is_valid() else None
        if partner is None and not self.access.is_partner:
            # staff land on a partner that was paid, not on an empty page waiting for "Show"
            partner = (
                Partner.objects.for_tenant(self.tenant)
                .filter(payout_lines__run__status__in=FINAL_RUN_STATUSES)
                .order_by("name")
                .first()
            )
        statements, points, balance, paid_by = [], [], 0, []
        if partner:
            paid_by = selectors.in_words(
                selectors.rules_for_partner(tenant=self.tenant, partner=partner), tenant=self.tenant
            )

            statements = list(
                selectors.approved_only(PayoutLine.objects.for_tenant(self.tenant).filter(partner=partner))
                .values("run_id", "run__period", "run__status", "currency")
                .annotate(total=Sum("amount"))
                .order_by("-run__period")
            )
            paid = {p.run_id: p for p in selectors.payment_list(tenant=self.tenant).filter(partner=partner)}
            for row in statements:
                row["total"] = to_cents(row["total"])
                row["payment"] = paid.get(row["run_id"])
            entries = selectors.approved_only(
                PointsEntry.objects.for_tenant(self.tenant).filter(partner=partner)
            )
            points = list(entries[:50])
            balance = entries.aggregate(total=Sum("points"))["total"] or 0
        if partner is not None and not picker.is_bound:
            picker = PartnerChoiceForm(initial={"partner": partner}, tenant=self.tenant)
        context.update(
            partner=partner,
            statements=statements,
            points=points,
            balance=balance,
            rules=paid_by,
            picker=picker,
        )
        return context


class StatementView(TenantPageMixin, View):
    """The payout statement PDF of one run for the partner (partners: their own, approved runs only)."""

    capability = Capability.READ
    partner_scope = "partner"
    model = PayoutRun
    #: a draft run has no statement for partners yet (the isolation walker knows)
    empty_is_404 = True

    def get(self, request, *args, **kwargs):
        run = selectors.statement_run(tenant=self.tenant, run_id=kwargs["pk"], access=self.access)
        partner_id = self.access.partner_id or request.GET.get("partner", "")
        if not str(partner_id).isdigit():
            raise Http404
        partner = get_object_or_404(Partner.objects.for_tenant(self.tenant), pk=partner_id)
        return statement_download(run, partner, reader_language(request))
