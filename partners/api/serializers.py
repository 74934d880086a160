from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.choices import Health, ObjectionType, ReferralLevel, Stage, Tier
from partners.models import (
    Assessment,
    Contact,
    DealRegistration,
    Partner,
    ReferenceItem,
    Sale,
    TierBenefit,
    Visit,
)
from prm.api.fields import date_text, datetime_text, decimal_text

User = get_user_model()


class MemberField(serializers.PrimaryKeyRelatedField):
    """A user who is a member of the request's tenant (owners, for instance)."""

    def get_queryset(self):
        tenant = self.context.get("tenant")
        return User.objects.filter(memberships__tenant=tenant) if tenant else User.objects.none()


class CheckedTextField(serializers.CharField):
    """Text checked by a Django validator on the way in, documented as plain text: the value may be
    empty, and international forms (an e-mail at an IDN domain) are valid, which JSON Schema's
    ``format`` keywords would not all accept."""

    validator = None

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value:
            try:
                self.validator(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return value


class ContactEmailField(CheckedTextField):
    validator = EmailValidator()


class WebsiteField(CheckedTextField):
    """A web address (https://…), or empty."""

    validator = URLValidator()


class ContactSerializer(serializers.ModelSerializer):
    email = ContactEmailField(required=False, allow_blank=True, max_length=254)

    class Meta:
        model = Contact
        fields = ["id", "name", "role", "email", "phone", "is_primary"]


class PlaybookEntrySerializer(serializers.Serializer):
    type = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    response = serializers.CharField(help_text="The recommended line of response")
    is_default = serializers.BooleanField(
        read_only=True, help_text="The playbook's default (the tenant wrote none)"
    )


class TierExplanationField(serializers.Field):
    """The tier as the partner page explains it: the rule row, each axis (score, threshold, strong or
    not, measured and assessed parts), the measured inputs, and the sentence."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, partner):
        return tier_explanation(partner)


def tier_explanation(partner, words: dict | None = None) -> dict | None:
    """The partner's ``tier_explanation``, null before the first recompute (``words``: see ``explain``)."""
    from partners.services.tiers import explain

    why = partner.tier_axes or {}
    if not why.get("axes"):
        return None
    return {
        "tier": partner.computed_tier or None,
        "rule": why.get("rule"),
        "axes": why["axes"],
        "inputs": why.get("inputs", {}),
        "sentence": explain(why, partner.computed_tier, words),
        "computed_at": partner.tier_computed_at,
    }


def health_of(partner) -> dict:
    """The partner's ``health``: the signal, its reasons in words, when it was computed."""
    from partners.health import describe

    return {
        "status": partner.health,
        "reasons": describe(partner.health_reasons),
        "computed_at": partner.health_computed_at,
    }


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Health.choices)
    reasons = serializers.ListField(
        child=serializers.DictField(), help_text='[{"code", "message", "params"}]: why, in words and as facts'
    )
    computed_at = serializers.DateTimeField(allow_null=True)


class PartnerSerializer(serializers.ModelSerializer):
    website = WebsiteField(required=False, allow_blank=True, max_length=200)
    health = serializers.SerializerMethodField(
        help_text="The early-warning signal (recomputed with the tiers): ok, watch or at_risk, with its reasons"
    )
    owner = MemberField(required=False, allow_null=True)
    tier = serializers.SerializerMethodField()
    tier_explanation = extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "description": "rule, axes {score, threshold, strong, measured, "
            "assessed}, inputs, sentence, computed_at; null before the first recompute",
        }
    )(TierExplanationField)()
    tier_overridden = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    contacts = ContactSerializer(many=True, required=False)

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "region",
            "country",
            "industry",
            "website",
            "lines_carried",
            "source",
            "referrer",
            "referral_level",
            "operating_model",
            "on_target_list",
            "owner",
            "stage",
            "stage_entered_at",
            "stage_due_at",
            "overdue",
            "inactive_reason",
            "tier",
            "tier_overridden",
            "computed_tier",
            "tier_override_reason",
            "tier_explanation",
            "health",
            "lead_approved_at",
            "contacts",
            "created_at",
        ]
        read_only_fields = [
            "stage",
            "stage_entered_at",
            "stage_due_at",
            "inactive_reason",
            "computed_tier",
            "tier_override_reason",
            "lead_approved_at",
            "created_at",
        ]
        extra_kwargs = {
            "computed_tier": {"allow_blank": True},  # "" until the first recompute
            "lead_approved_at": {"allow_null": True},
            "stage_due_at": {"allow_null": True},  # stages without a time box
        }

    def get_tier(self, partner) -> str | None:
        return partner.tier or None

    @extend_schema_field(HealthSerializer)
    def get_health(self, partner) -> dict:
        return health_of(partner)


class PartnerListSerializer(PartnerSerializer):
    """A page of the partner list as staff see it: ``PartnerSerializer``'s representation, each row's
    dict built directly from the partner's attributes (DRF's per-field work was most of a list
    request), with what every row shares read once per request: the time zone, the tier
    explanation's words, and the page's contacts (``context["contacts"]``, from
    ``selectors.contacts_by_partner``: one query). The same fields, order and values as the
    detail's: pinned by ``tests/partners/test_list_representation.py``."""

    @cached_property
    def shared(self) -> dict:
        """What every row of the page shares (one serializer instance represents them all)."""
        from partners.services.tiers import explain_words

        return {
            "zone": timezone.get_current_timezone(),
            "words": explain_words(),
            "contacts": self.context["contacts"],
        }

    def to_representation(self, partner):
        return partner_row(partner, **self.shared)


def partner_row(partner, *, zone, words, contacts) -> dict:
    """``PartnerSerializer``'s representation of one partner, built directly (see PartnerListSerializer)."""
    return {
        "id": partner.pk,
        "name": partner.name,
        "region": partner.region,
        "country": partner.country,
        "industry": partner.industry,
        "website": partner.website,
        "lines_carried": partner.lines_carried,
        "source": partner.source,
        "referrer": partner.referrer,
        "referral_level": partner.referral_level,
        "operating_model": partner.operating_model,
        "on_target_list": partner.on_target_list,
        "owner": partner.owner_id,
        "stage": partner.stage,
        "stage_entered_at": datetime_text(partner.stage_entered_at, zone),
        "stage_due_at": datetime_text(partner.stage_due_at, zone),
        "overdue": partner.overdue,
        "inactive_reason": partner.inactive_reason,
        "tier": partner.tier or None,
        "tier_overridden": partner.tier_overridden,
        "computed_tier": partner.computed_tier,
        "tier_override_reason": partner.tier_override_reason,
        "tier_explanation": tier_explanation(partner, words),
        "health": health_of(partner),
        "lead_approved_at": datetime_text(partner.lead_approved_at, zone),
        "contacts": contacts.get(partner.pk, []),
        "created_at": datetime_text(partner.created_at, zone),
    }


class PartnerForPartnerSerializer(PartnerSerializer):
    """What a partner user sees of its own partner: no internal notes of the vendor."""

    website = serializers.CharField(read_only=True, help_text="The partner's web address, or empty")
    health = None  # the vendor's early warning is not shown to the partner

    class Meta(PartnerSerializer.Meta):
        fields = [
            "id",
            "name",
            "region",
            "country",
            "industry",
            "website",
            "source",
            "owner",
            "stage",
            "stage_entered_at",
            "stage_due_at",
            "overdue",
            "tier",
            "tier_overridden",
            "tier_override_reason",
            "tier_explanation",
            "contacts",
            "created_at",
        ]
        read_only_fields = fields


class PartnerForPartnerListSerializer(PartnerForPartnerSerializer):
    """A partner user's partner list (its own partner): the staff's row (``PartnerListSerializer``)
    narrowed to ``PartnerForPartnerSerializer``'s fields, in their order."""

    shared = PartnerListSerializer.shared

    def to_representation(self, partner):
        row = partner_row(partner, **self.shared)
        return {name: row[name] for name in self.Meta.fields}


class PartnerUpdateSerializer(PartnerSerializer):
    contacts = ContactSerializer(many=True, read_only=True)


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RelationshipSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=ReferralLevel.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalRequestedSerializer(serializers.Serializer):
    told = serializers.IntegerField(
        help_text="How many regional leads were e-mailed (their preferences decide)."
    )


class TierOverrideSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class HistoryEventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["stage", "tier", "relationship"])
    id = serializers.IntegerField(help_text="The stage or tier change's id")
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    to = serializers.CharField(allow_blank=True)
    why = serializers.CharField(allow_blank=True)
    override = serializers.BooleanField()
    axes = serializers.JSONField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["from"] = instance["from"]
        return data


class ObjectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ObjectionType.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VisitSerializer(serializers.ModelSerializer):
    objections = ObjectionSerializer(many=True, required=False)
    logged_by = serializers.CharField(source="logged_by.username", read_only=True, default=None)

    class Meta:
        model = Visit
        fields = [
            "id",
            "partner",
            "date",
            "kind",
            "summary",
            "goal_met",
            "objections",
            "next_step",
            "make_target",
            "logged_by",
            "created_at",
        ]
        read_only_fields = ["partner", "created_at"]


class AssessmentSerializer(serializers.ModelSerializer):
    assessed_by = serializers.CharField(source="assessed_by.username", read_only=True, default=None)
    average = serializers.FloatField(read_only=True, allow_null=True)
    ratings = serializers.JSONField(
        help_text='{"criterion": {"score": 1-5, "note": "..."}} or {"criterion": 4}'
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "partner",
            "kind",
            "date",
            "ratings",
            "average",
            "needs",
            "note",
            "assessed_by",
            "created_at",
        ]
        read_only_fields = ["partner", "created_at"]


class CurrencyField(serializers.RegexField):
    """An ISO 4217 code; lower case is accepted and stored upper case."""

    def __init__(self, **kwargs):
        super().__init__(
            r"^[A-Za-z]{3}$", error_messages={"invalid": "Use a three-letter ISO 4217 code."}, **kwargs
        )

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


class SaleSerializer(serializers.ModelSerializer):
    currency = CurrencyField(required=False)

    class Meta:
        model = Sale
        fields = [
            "id",
            "external_id",
            "partner",
            "date",
            "product",
            "quantity",
            "amount",
            "currency",
            "customer",
            "self_sourced",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        fields["partner"].queryset = Partner.objects.for_tenant(tenant) if tenant else Partner.objects.none()
        return fields


_SALE_QUANTITY, _SALE_AMOUNT = Sale._meta.get_field("quantity"), Sale._meta.get_field("amount")


class SaleListSerializer(SaleSerializer):
    """A page of ``sales/``: ``SaleSerializer``'s representation, each row's dict built directly
    from the sale (the partner as its id: no partner row is read) and the time zone read once per
    request. Pinned to the detail's by ``tests/partners/test_list_representation.py``."""

    @cached_property
    def _zone(self):
        """The request's time zone (one serializer instance represents every row of a page)."""
        return timezone.get_current_timezone()

    def to_representation(self, sale):
        return {
            "id": sale.pk,
            "external_id": sale.external_id,
            "partner": sale.partner_id,
            "date": date_text(sale.date),
            "product": sale.product,
            "quantity": decimal_text(sale.quantity, _SALE_QUANTITY),
            "amount": decimal_text(sale.amount, _SALE_AMOUNT),
            "currency": sale.currency,
            "customer": sale.customer,
            "self_sourced": sale.self_sourced,
            "created_at": datetime_text(sale.created_at, self._zone),
        }


class DealSerializer(serializers.ModelSerializer):
    conflicts = serializers.SerializerMethodField()
    customer_contact = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="The customer's e-mail or website"
    )
    currency = CurrencyField(required=False)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), required=False)

    class Meta:
        model = DealRegistration
        fields = [
            "id",
            "partner",
            "customer",
            "customer_contact",
            "customer_domain",
            "product",
            "expected_amount",
            "currency",
            "status",
            "self_sourced",
            "registered_at",
            "expires_at",
            "decision_reason",
            "closed_at",
            "closed_amount",
            "closed_note",
            "conflicts",
        ]
        read_only_fields = [
            "customer_domain",
            "status",
            "registered_at",
            "expires_at",
            "decision_reason",
            "closed_at",
            "closed_amount",
            "closed_note",
        ]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        fields["partner"].queryset = Partner.objects.for_tenant(tenant) if tenant else Partner.objects.none()
        return fields

    def get_conflicts(self, deal) -> list[int]:
        return self.context.get("conflicts", {}).get(deal.pk, [])


class DealCloseSerializer(serializers.Serializer):
    won = serializers.BooleanField(help_text="true: won; false: lost")
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="What the won deal was worth (default: its expected amount)",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DealWithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DealDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DealExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class DuplicateRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()
    partner = serializers.IntegerField(help_text="The existing partner the row matched")


class PartnerImportResultSerializer(ImportResultSerializer):
    duplicates = DuplicateRowSerializer(many=True)


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField()


class TierRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="S/W competitiveness, H/L willingness, S/W autonomy, e.g. SLW")
    competitiveness = serializers.CharField()
    willingness = serializers.CharField()
    autonomy = serializers.CharField()
    tier = serializers.ChoiceField(choices=["A", "B", "C", "D"])
    named = serializers.BooleanField(help_text="A row of the playbook's table (the others are fill-ins)")


class ProgrammeSerializer(serializers.Serializer):
    """The tenant's partner-programme settings (PATCH any of them; admins only)."""

    time_boxes = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="Days allowed per stage ({stage: days}); 0 means no time box.",
    )
    protection_days = serializers.IntegerField(min_value=1, max_value=730, required=False)
    deals_auto_win = serializers.BooleanField(required=False)
    tier_window_days = serializers.IntegerField(min_value=30, max_value=1095, required=False)
    assessment_weight = serializers.FloatField(min_value=0, max_value=1, required=False)
    thresholds = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=100), required=False
    )
    tier_table = serializers.DictField(
        child=serializers.ChoiceField(choices=["A", "B", "C", "D"]),
        required=False,
        help_text='Any of the eight rows, e.g. {"SLW": "C"}; see tier_rows for the whole table in words.',
    )
    gate_minimums = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=5)),
        required=False,
        help_text='Lowest rating per criterion of the latest assessment to pass a gate: {"selection": {"integrity": 3}, '
        '"strategic": {…}}; 0 means no minimum.',
    )
    revenue_weight = serializers.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        help_text="Share of the revenue percentile in measured competitiveness; the win rate has the rest.",
    )
    attainment_cap = serializers.IntegerField(
        min_value=100,
        max_value=200,
        required=False,
        help_text="Scorecards: a KPI's attainment counts up to this percent of its target.",
    )
    balance_spread = serializers.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        help_text="Scorecards: the dimensions are balanced within this many points of each other.",
    )
    jump_factor = serializers.FloatField(
        min_value=1.01,
        required=False,
        help_text="Payout runs warn when a partner's total exceeds this many times its earlier average …",
    )
    jump_minimum = serializers.IntegerField(
        min_value=0, required=False, help_text="… and this amount, in the tenant's currency."
    )
    answer_within_days = serializers.IntegerField(
        min_value=1,
        max_value=60,
        required=False,
        help_text="The vendor answers a deal registration within this many days (a vendor-side scorecard KPI).",
    )
    pay_unsigned_partners = serializers.BooleanField(
        required=False,
        help_text="Payout runs pay partners not signed yet (with a warning); false: signed only.",
    )
    selling_stages = serializers.ListField(
        child=serializers.ChoiceField(choices=Stage.choices),
        allow_empty=False,
        required=False,
        help_text="Stages whose partners may register deals and be booked sales (default strategic and later).",
    )
    willingness_weights = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=10),
        required=False,
        help_text="Weight of each input of measured willingness: registrations, visits (met their goal), "
        "training (required courses valid), leads (accepted); 0 leaves one out.",
    )
    mdf_over_claim = serializers.ChoiceField(
        choices=["refuse", "pay_remaining"],
        required=False,
        help_text="An MDF claim above what remains of its request is refused, or paid up to what remains "
        "with the rest kept open as the claim's balance.",
    )
    certification_reminder_days = serializers.IntegerField(
        min_value=0,
        max_value=365,
        required=False,
        help_text="Partner users are e-mailed this many days before required training expires (0: never).",
    )
    certification_lapse = serializers.ChoiceField(
        choices=["back_to_signed", "keep"],
        required=False,
        help_text="What expired required training does to a certified partner.",
    )
    service_reminder_days = serializers.IntegerField(
        min_value=1,
        max_value=180,
        required=False,
        help_text="Installed base: reminders this many days before a service or a warranty end.",
    )
    remind_end_customers = serializers.BooleanField(
        required=False,
        help_text="Installed base: remind end customers too, where they agreed.",
    )
    visit_cadence_per_day = serializers.IntegerField(
        min_value=0,
        max_value=20,
        required=False,
        help_text="The playbook's cadence: new candidates a channel manager visits per working day (team report).",
    )
    health_quiet_days = serializers.IntegerField(
        min_value=7,
        max_value=730,
        required=False,
        help_text="Health: a selling partner with no sale and no deal registration for this many days is quiet.",
    )
    health_return_amount = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="Health: a return of at least this amount (tenant currency, last 90 days) is a warning.",
    )
    tier_rows = TierRowSerializer(many=True, read_only=True)
    tier_recompute = serializers.DictField(
        read_only=True, allow_null=True, help_text="The job started when a tiering setting changed"
    )

    def validate_time_boxes(self, value):
        from partners.choices import PIPELINE

        unknown = sorted(set(value) - set(PIPELINE))
        if unknown:
            raise serializers.ValidationError(f"Unknown stages: {', '.join(unknown)}.")
        return value

    def validate_willingness_weights(self, value):
        from partners.programme import DEFAULT_WILLINGNESS_WEIGHTS

        unknown = sorted(set(value) - set(DEFAULT_WILLINGNESS_WEIGHTS))
        if unknown:
            raise serializers.ValidationError(f"Unknown inputs: {', '.join(unknown)}.")
        return value

    def validate_thresholds(self, value):
        from partners.tiering import AXES

        unknown = sorted(set(value) - set(AXES))
        if unknown:
            raise serializers.ValidationError(f"Unknown axes: {', '.join(unknown)}.")
        return value


class ReferenceItemSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="Other spellings that mean this value (they become its name)",
    )

    class Meta:
        model = ReferenceItem
        fields = ["id", "kind", "name", "aliases", "price", "warranty_months", "service_months", "active"]
        validators = []  # one name per list: the service names the field


class BenefitRuleSerializer(serializers.Serializer):
    rule = serializers.IntegerField(help_text="The rule's id (of its current version)")
    name = serializers.CharField()
    version = serializers.IntegerField(
        allow_null=True, help_text="Null for lead rules (they have no versions)"
    )
    type = serializers.ChoiceField(choices=["incentive_rule", "lead_rule"])


class TierBenefitSerializer(serializers.ModelSerializer):
    """A benefit and how it is kept: ``applied`` by a rule that reads its number (``applied_by``),
    ``not_automatic`` (no rule can or does: the channel manager arranges it), or ``contradicted`` by
    a rule that gives the tier something else (``contradicted_by``); ``kept_note`` says it in words."""

    kept = serializers.SerializerMethodField(help_text="applied, not_automatic or contradicted")
    automatic = serializers.SerializerMethodField(help_text="A current rule applies it")
    applied_by = serializers.SerializerMethodField(
        help_text="The rule that applies it; null unless applied, and for partner users (rules are the vendor's)"
    )
    contradicted_by = serializers.SerializerMethodField(
        help_text="The rule that gives the tier something else; null unless contradicted, and for partner users"
    )
    kept_note = serializers.SerializerMethodField(help_text="How it is kept, in words for the reader")

    class Meta:
        model = TierBenefit
        fields = [
            "id",
            "tier",
            "kind",
            "value",
            "description",
            "position",
            "kept",
            "automatic",
            "applied_by",
            "contradicted_by",
            "kept_note",
        ]
        validators = []  # one of a kind per tier: the service names the field

    def _kept(self, benefit):
        from partners.benefit_keeping import keeping_of, rule_uses

        if "benefit_uses" not in self.context:  # the rules are read once per answer
            self.context["benefit_uses"] = rule_uses(self.context["tenant"])
        return keeping_of(benefit, self.context["benefit_uses"])

    @extend_schema_field(serializers.ChoiceField(choices=["applied", "not_automatic", "contradicted"]))
    def get_kept(self, benefit) -> str:
        return self._kept(benefit).status

    def get_automatic(self, benefit) -> bool:
        return self._kept(benefit).automatic

    @extend_schema_field(BenefitRuleSerializer(allow_null=True))
    def get_applied_by(self, benefit):
        return None if self._for_partner else self._kept(benefit).applied_by

    @extend_schema_field(BenefitRuleSerializer(allow_null=True))
    def get_contradicted_by(self, benefit):
        return None if self._for_partner else self._kept(benefit).contradicted_by

    def get_kept_note(self, benefit) -> str:
        return self._kept(benefit).words(for_partner=self._for_partner)

    @property
    def _for_partner(self) -> bool:
        access = self.context.get("access")
        return bool(access and access.is_partner)


class ActivityRowSerializer(serializers.Serializer):
    key = serializers.JSONField(help_text="The owner's user id, or the region")
    name = serializers.CharField()
    new_candidates = serializers.IntegerField()
    new_per_week = serializers.FloatField()
    visits = serializers.IntegerField()
    goal_met = serializers.IntegerField()
    goal_met_rate = serializers.FloatField(allow_null=True)
    stages = serializers.ListField(
        child=serializers.DictField(), help_text="[{stage, moved_on, dropped, rate, median_days, time_box}]"
    )
    tiers = serializers.DictField(child=serializers.IntegerField())
    partners = serializers.IntegerField()
    overdue = serializers.IntegerField()


class ActivityReportSerializer(serializers.Serializer):
    period = serializers.CharField()
    weeks = serializers.FloatField()
    cadence_per_week = serializers.IntegerField()
    owners = ActivityRowSerializer(many=True)
    regions = ActivityRowSerializer(many=True)
