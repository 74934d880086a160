"""Portal pages of incentives/ (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import effectiveness, mdf, rates, rules, runs

app_name = "incentives"

urlpatterns = [
    path("incentives/rules/", rules.RuleListView.as_view(), name="rules"),
    path("incentives/rules/new/", rules.RuleEditView.as_view(), name="rule-create"),
    path("incentives/rules/<int:pk>/", rules.RuleEditView.as_view(), name="rule-edit"),
    path("incentives/what-if/", rules.WhatIfView.as_view(), name="what-if"),
    path("incentives/effectiveness/", effectiveness.EffectivenessView.as_view(), name="effectiveness"),
    path(
        "incentives/effectiveness.csv", effectiveness.EffectivenessCsvView.as_view(), name="effectiveness-csv"
    ),
    path("payouts/", runs.RunListView.as_view(), name="runs"),
    path("payouts/<int:pk>/", runs.RunDetailView.as_view(), name="run"),
    path("payouts/<int:pk>/approve/", runs.RunApproveView.as_view(), name="approve"),
    path("payouts/<int:pk>/adjustments/", runs.RunAdjustmentView.as_view(), name="adjust"),
    path("payouts/<int:pk>/export/", runs.RunExportView.as_view(), name="export"),
    path("payouts/<int:pk>/acknowledge/", runs.RunAcknowledgeView.as_view(), name="acknowledge"),
    path("payouts/<int:pk>/mark-exported/", runs.RunMarkExportedView.as_view(), name="mark-exported"),
    path("payouts/<int:pk>/payments/", runs.RunPaymentView.as_view(), name="payment"),
    path("payouts/<int:pk>/payments/import/", runs.RunPaymentsImportView.as_view(), name="payments-import"),
    path("payouts/<int:pk>/warnings.csv", runs.RunWarningsCsvView.as_view(), name="warnings-csv"),
    path("payouts/<int:pk>/statement/", runs.StatementView.as_view(), name="statement"),
    path("my-payouts/", runs.MyPayoutsView.as_view(), name="mine"),
    path("mdf/", mdf.MdfView.as_view(), name="mdf"),
    path("mdf/requests/", mdf.MdfRequestCreateView.as_view(), name="mdf-request"),
    path("mdf/requests/<int:pk>/decide/", mdf.MdfRequestDecideView.as_view(), name="mdf-request-decide"),
    path("mdf/claims/", mdf.MdfClaimSubmitView.as_view(), name="mdf-claim"),
    path("mdf/claims/<int:pk>/decide/", mdf.MdfClaimDecideView.as_view(), name="mdf-claim-decide"),
    path("mdf/claims/<int:pk>/proof/", mdf.MdfProofView.as_view(), name="mdf-proof"),
    path("exchange-rates/", rates.RatesView.as_view(), name="rates"),
    path("exchange-rates/add/", rates.RateAddView.as_view(), name="rate-add"),
    path("exchange-rates/import/", rates.RatesImportView.as_view(), name="rates-import"),
]
