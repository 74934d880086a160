"""The partner's own representation: the partner, its contacts, its tier explanation and health,
as staff and as partner users see it, in the detail and in the list."""

from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.choices import Health
from partners.health.signals import describe
from partners.models import Contact, Partner
from partners.tiering.explanation import explain, explain_words
from prm.api.fields import datetime_text

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


class TierExplanationField(serializers.Field):
    """The tier as the partner page explains it: the rule row, each axis (score, threshold, strong or
    not, measured and assessed parts), the measured inputs, and the sentence."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, partner):
        return tier_explanation(partner)


def tier_explanation(partner, words: dict | None = None) -> dict | None:
    """The partner's ``tier_explanation``, null before the first recompute (``words``: see ``explain``)."""

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
            "key_partner",
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
    explanation's words, the page's contacts (``context["contacts"]``, from
    ``selectors.contacts_by_partner``: one query) and the address of the details. The same fields,
    order and values as the detail's, then ``url`` (the row's detail): pinned by
    ``tests/partners/test_list_representation.py``. ``?fields=`` rows: ``partner_fields``."""

    @cached_property
    def shared(self) -> dict:
        """What every row of the page shares (one serializer instance represents them all)."""

        return {
            "zone": timezone.get_current_timezone(),
            "words": explain_words(),
            "contacts": self.context["contacts"],
            "detail": detail_prefix(self.context),
        }

    def to_representation(self, partner):
        return partner_row(partner, **self.shared)


def partner_row(partner, *, zone, words, contacts, detail) -> dict:
    """``PartnerSerializer``'s representation of one partner, built directly (see PartnerListSerializer),
    and its ``url``: ``detail`` (``detail_prefix``) and the id."""
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
        "key_partner": partner.key_partner,
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
        "url": f"{detail}{partner.pk}/",
    }


def detail_prefix(context) -> str:
    """The address of partner details up to the id, once per page: absolute with a request in
    ``context`` (as the pagination's links are), else the path."""

    path = reverse("api:partner-detail", kwargs={"tenant": context["tenant"].slug, "pk": 0})
    prefix = path[: -len("0/")]
    request = context.get("request")
    return request.build_absolute_uri(prefix) if request is not None else prefix


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
    narrowed to ``PartnerForPartnerSerializer``'s fields, in their order, then ``url``."""

    shared = PartnerListSerializer.shared

    def to_representation(self, partner):
        row = partner_row(partner, **self.shared)
        return {name: row[name] for name in (*self.Meta.fields, "url")}


class PartnerUpdateSerializer(PartnerSerializer):
    contacts = ContactSerializer(many=True, read_only=True)
