"""Customer leads, the tenant's rules that offer them to partners, and each offer's answer."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import DealRegistration, Partner
from prm.tenancy.scoping import TenantOwned

from .choices import DEFAULT_TIER_WEIGHTS, LeadSource, LeadStatus, OfferOutcome


class LeadRule(TenantOwned):
    """Which partners a lead is offered to. The first active rule (by position) whose regions and
    industries take the lead decides; among its eligible partners the highest tier weight wins, and
    among equals the one offered a lead longest ago (round robin)."""

    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    #: The lead's region must be one of these (empty: any).
    regions = models.JSONField(_("regions"), default=list, blank=True)
    #: The lead's industry must be one of these (empty: any).
    industries = models.JSONField(_("industries"), default=list, blank=True)
    match_region = models.BooleanField(_("the partner's region must be the lead's"), default=True)
    match_industry = models.BooleanField(_("the partner's industry must be the lead's"), default=False)
    #: Weight per tier; 0 leaves the tier out. Partners without a tier weigh as D.
    tier_weights = models.JSONField(_("tier weights"), default=dict, blank=True)
    max_open = models.PositiveSmallIntegerField(
        _("open leads per partner at most"), default=5, validators=[MinValueValidator(1)]
    )
    respond_within_hours = models.PositiveSmallIntegerField(
        _("answer within (hours)"), default=48, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("lead rule")
        verbose_name_plural = _("lead rules")

    def __str__(self):
        return self.name

    def weights(self, priorities: dict | None = None) -> dict:
        """Tier weights: the rule's own, else the tiers' lead priority (tier benefits), else A 4 … D 1."""
        return {**DEFAULT_TIER_WEIGHTS, **(priorities or {}), **(self.tier_weights or {})}

    def takes(self, lead) -> bool:
        """Whether this rule routes ``lead`` (its regions and industries)."""
        return (not self.regions or lead.region in self.regions) and (
            not self.industries or lead.industry in self.industries
        )


class Lead(TenantOwned):
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    customer = models.CharField(_("customer"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    description = models.TextField(_("what the customer needs"), blank=True)
    expected_amount = models.DecimalField(
        _("expected amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("customer's language"), max_length=10, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=LeadSource.choices, default=LeadSource.ENTERED
    )
    status = models.CharField(_("status"), max_length=10, choices=LeadStatus.choices, default=LeadStatus.NEW)
    #: The partner it is offered to or accepted by (none while new, declined by all, or expired).
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    rule = models.ForeignKey(LeadRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    deal = models.ForeignKey(
        DealRegistration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "external_id"],
                condition=~models.Q(external_id=""),
                name="lead_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status"]),
            models.Index(fields=["tenant", "partner", "status"]),
        ]

    def __str__(self):
        return self.customer


class LeadOffer(TenantOwned):
    """One partner's turn with a lead, and its answer: the lead's history."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="offers")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="lead_offers")
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    respond_by = models.DateTimeField(_("answer by"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=OfferOutcome.choices, default=OfferOutcome.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reason = models.TextField(_("why declined"), blank=True)

    class Meta:
        ordering = ["offered_at", "id"]
        verbose_name = _("lead offer")
        verbose_name_plural = _("lead offers")
        indexes = [
            models.Index(fields=["tenant", "partner", "offered_at"]),
            models.Index(fields=["tenant", "outcome", "respond_by"]),
        ]
