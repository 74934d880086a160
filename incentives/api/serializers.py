from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incentives import run_warnings
from incentives.choices import RuleKind
from incentives.models import (
    IncentiveRule,
    MdfClaim,
    MdfRequest,
    Payment,
    PayoutLine,
    PayoutRun,
    PointsEntry,
)
from incentives.rules.describe import describe
from partners.api.fields import CurrencyField, TenantPartnerField
from prm.api.fields import PeriodField, PrivateFileField
from prm.currency.models import ExchangeRate


class IncentiveRuleSerializer(serializers.ModelSerializer):
    params = serializers.JSONField(
        help_text=(
            "commission: {rate}, {rate_benefit: margin_points} (each tier's margin points, tier benefits) or "
            "{brackets: [{from, to, rate}], mode: marginal|retroactive}, optional "
            "tier_multipliers {A: '1.2'} and cap; rebate: {threshold, rate}; spif: {product, amount_per_unit}; "
            "bonus: {type: score|attainment|first_sale|certification|strategic_deal, amount, threshold, kpi, customer}; "
            "mdf: {budget}, {budget_share} (% of last period's revenue) or {budget_share_benefit: true} (each "
            "tier's MDF share, tier benefits); points: {per_amount, points}; "
            "loyalty_tier: {tier, periods} (a reward per completed block of that many consecutive periods at "
            "the tier or above); loyalty_years: {years: [1, 3, 5]} (a reward in the period of each listed "
            "anniversary of the partnership: first signed or certified, else created); sustained_growth: "
            "{periods, growth} (a reward when each of the last periods grew by growth % or more); the loyalty "
            "kinds reward with one of amount or points, sustained_growth also with rate (% of the period's revenue). "
            "Rates are percentages as decimal strings. An active rule that would give a tier other than its "
            "benefits promise (an MDF share of 3 where the tier's benefit says 2) is refused with 400, naming the "
            "tier, the benefit and the rule."
        )
    )
    tiers = serializers.JSONField(required=False)
    stages = serializers.JSONField(required=False)
    regions = serializers.JSONField(required=False)
    products = serializers.JSONField(required=False)
    edited_by = serializers.CharField(source="edited_by.username", read_only=True, default=None)

    class Meta:
        model = IncentiveRule
        fields = [
            "id",
            "key",
            "version",
            "name",
            "kind",
            "params",
            "tiers",
            "stages",
            "regions",
            "products",
            "valid_from",
            "valid_to",
            "active",
            "edited_by",
            "created_at",
        ]
        read_only_fields = ["key", "version", "created_at"]


class WarningGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    sample = serializers.ListField(child=serializers.CharField(), help_text="The first few, in words.")
    acknowledged = serializers.DictField(
        allow_null=True, help_text="by (user id), name, at; null until checked"
    )


class PartnerRuleSerializer(serializers.ModelSerializer):
    """A rule as the partners it applies to read it: what it pays, in words, and on what."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    description = serializers.SerializerMethodField(help_text="The rule's parameters in words")

    class Meta:
        model = IncentiveRule
        fields = ["id", "name", "kind", "kind_label", "description", "products", "valid_from", "valid_to"]

    def get_description(self, rule) -> str:

        return describe(rule.kind, rule.params, self.context["tenant"].currency)


class AccrualRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The payout run")
    period = serializers.CharField()
    status = serializers.CharField()
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    accrued = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="The draft's total: owed once approved"
    )
    payable = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Approved, not paid yet")
    paid = serializers.DecimalField(max_digits=16, decimal_places=2)


class AccrualsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    totals = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text="accrued, payable and paid over every period",
    )
    runs = AccrualRowSerializer(many=True)


class PayoutRunSerializer(serializers.ModelSerializer):
    lines_count = serializers.IntegerField(read_only=True, default=0)
    warnings_count = serializers.SerializerMethodField()
    warning_groups = serializers.SerializerMethodField()

    class Meta:
        model = PayoutRun
        fields = [
            "id",
            "period",
            "status",
            "total",
            "currency",
            "lines_count",
            "warnings_count",
            "warning_groups",
            "warnings_acknowledged",
            "computed_at",
            "approved_at",
            "exported_at",
        ]

    def get_warnings_count(self, run) -> int:
        counted = getattr(run, "warnings_count", None)  # ``run_summaries`` reads it with the run
        return counted if counted is not None else run_warnings.count(run)

    @extend_schema_field(WarningGroupSerializer(many=True))
    def get_warning_groups(self, run):
        """The run's warnings by kind; every one of them at ``warnings/``."""
        return WarningGroupSerializer(run_warnings.groups(run), many=True).data


class PaymentSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    period = serializers.CharField(source="run.period", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "run",
            "period",
            "partner",
            "partner_name",
            "amount",
            "currency",
            "paid_on",
            "reference",
            "recorded_at",
        ]


class PaymentRecordSerializer(serializers.Serializer):
    partner = TenantPartnerField()
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="What the run owes the partner (checked); leave out to take it",
    )


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    partner = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    sales = serializers.ListField(
        child=serializers.IntegerField(), help_text="The first sales the warning is about (at most ten)"
    )
    sales_count = serializers.IntegerField(help_text="How many sales the warning is about")


class AcknowledgeSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=sorted(run_warnings.KINDS))


class PayoutLineSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    rule_name = serializers.CharField(
        source="rule.name", read_only=True, default=None, allow_null=True
    )  # adjustments: no rule
    period = serializers.CharField(source="run.period", read_only=True)

    class Meta:
        model = PayoutLine
        fields = [
            "id",
            "period",
            "partner",
            "partner_name",
            "rule",
            "rule_name",
            "rule_version",
            "kind",
            "amount",
            "currency",
            "explanation",
            "source",
        ]


class ApproveSerializer(serializers.Serializer):
    acknowledge_warnings = serializers.BooleanField(default=False)


class AdjustmentSerializer(serializers.Serializer):
    partner = TenantPartnerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reason = serializers.CharField()


class RunRequestSerializer(serializers.Serializer):
    period = PeriodField()


class WhatIfSerializer(serializers.Serializer):
    period = PeriodField()
    rule = serializers.JSONField(help_text="A rule as in POST incentive-rules/ (kind, params, eligibility)")
    compare_with = serializers.IntegerField(required=False, help_text="The id of the rule it would change")


class RateSerializer(serializers.ModelSerializer):
    currency = CurrencyField()

    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "date", "rate"]


class PointsSerializer(serializers.ModelSerializer):
    class Meta:
        model = PointsEntry
        fields = ["id", "partner", "run", "points", "reason", "created_at"]


class MdfRequestSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField(required=False)
    period = PeriodField()
    rule = serializers.PrimaryKeyRelatedField(queryset=IncentiveRule.objects.none())

    class Meta:
        model = MdfRequest
        fields = [
            "id",
            "partner",
            "rule",
            "period",
            "plan",
            "amount",
            "status",
            "decision_note",
            "created_at",
        ]
        read_only_fields = ["status", "decision_note", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        if tenant is not None:
            fields["rule"].queryset = IncentiveRule.objects.for_tenant(tenant).filter(
                kind=RuleKind.MDF, is_current=True
            )
        return fields


class MdfClaimSerializer(serializers.ModelSerializer):
    """A claim. Where the programme pays what remains of a larger claim, ``amount`` is what is payable,
    ``claimed_amount`` what was claimed and ``balance`` the rest, left open. ``paid_amount`` is what an
    approved run paid on it, ``unpaid_amount`` what of an approved claim no run paid (the run pays within
    the period's budget: after the run, what the budget did not cover)."""

    request = serializers.PrimaryKeyRelatedField(queryset=MdfRequest.objects.none())
    balance = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    paid_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="What an approved payout run paid on the claim",
    )
    unpaid_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="What of an approved or paid claim no run paid (null while the claim is not approved)",
    )
    proof = PrivateFileField(
        url_name="mdf-claim-proof", help_text="A PDF, PNG or JPEG; read: where to download it."
    )

    class Meta:
        model = MdfClaim
        fields = [
            "id",
            "request",
            "amount",
            "claimed_amount",
            "balance",
            "paid_amount",
            "unpaid_amount",
            "description",
            "proof",
            "proof_name",
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "proof_name", "created_at", "claimed_amount"]

    def get_fields(self):
        fields = super().get_fields()
        tenant, access = self.context.get("tenant"), self.context.get("access")
        if tenant is not None:
            requests = MdfRequest.objects.for_tenant(tenant)
            if access is not None and access.is_partner:
                requests = requests.filter(partner_id=access.partner_id)
            fields["request"].queryset = requests
        return fields


class MdfBudgetSerializer(serializers.Serializer):
    """A partner's budget under an MDF rule for a period (``incentives.mdf_budget``) and what is spoken for
    of it. Requests are approved only within ``remaining``; claims only within ``budget`` less the claims
    approved already."""

    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField()
    rule = serializers.IntegerField(source="rule_id", help_text="The rule's current version")
    rule_key = serializers.UUIDField(help_text="The rule across its versions")
    rule_name = serializers.CharField()
    period = serializers.CharField()
    currency = serializers.CharField()
    budget = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Null when it cannot be computed (last period's sales lack an exchange rate): see basis",
    )
    basis = serializers.CharField(help_text="How the budget is computed, in words")
    committed = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Approved requests")
    claimed = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Claims submitted, approved or paid (not rejected)"
    )
    paid = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Paid on claims by approved runs"
    )
    remaining = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Budget less what is committed"
    )


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
