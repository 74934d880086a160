"""The partner, its contacts, its portal users and its stage history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import Health, OperatingModel, ReferralLevel, Source, Stage, Tier
from prm.jsonfield import JSONField
from prm.tenancy.models import Membership
from prm.tenancy.scoping import TenantOwned


class Partner(TenantOwned):
    """A reseller, distributor, dealer or integrator in one tenant's programme."""

    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    payee_reference = models.CharField(
        _("payee reference"),
        max_length=100,
        blank=True,
        help_text=_("How finance pays this partner (e.g. a vendor number)."),
    )
    lines_carried = models.TextField(_("other lines carried"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OTHER)
    referrer = models.CharField(_("referred by"), max_length=200, blank=True)
    operating_model = models.CharField(
        _("operating model"),
        max_length=10,
        choices=OperatingModel.choices,
        blank=True,
        help_text=_(
            "Project and relationship driven, or product distribution: groups partners in lists and reports."
        ),
    )
    referral_level = models.CharField(
        _("referral level"), max_length=20, choices=ReferralLevel.choices, blank=True
    )
    on_target_list = models.BooleanField(
        _("on the target list"),
        default=False,
        db_default=False,
        help_text=_(
            "A candidate the managers work on next: a visit marked “make it a target partner” puts it here."
        ),
    )
    key_partner = models.BooleanField(
        _("key partner"),
        default=False,
        db_default=False,
        help_text=_("The programme may require a senior-leadership meeting before a key partner is signed."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PROSPECTING)
    stage_entered_at = models.DateTimeField(_("in stage since"), default=timezone.now)
    stage_due_at = models.DateTimeField(_("stage due"), null=True, blank=True)
    inactive_reason = models.TextField(_("why lost or dormant"), blank=True)
    lead_approved_at = models.DateTimeField(_("approved for signing at"), null=True, blank=True)
    lead_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for signing by"),
    )
    computed_tier = models.CharField(_("computed tier"), max_length=1, choices=Tier.choices, blank=True)
    #: The latest computation's axis scores and inputs (why the computed tier is what it is).
    tier_axes = JSONField(_("tier reasons"), default=dict, blank=True)
    tier_computed_at = models.DateTimeField(_("tier computed at"), null=True, blank=True)
    #: What the window measures of the partner (``PartnerFacts`` but the other apps' inputs): written
    #: by the recompute for every partner and by a live refresh for one (``partners.live``).
    tier_inputs = JSONField(_("tier inputs"), default=dict, blank=True, db_default={})
    #: When the partner's figures (tier inputs, current scorecard) were last brought up to date.
    figures_at = models.DateTimeField(_("figures updated at"), null=True, blank=True)
    tier_override = models.CharField(_("tier override"), max_length=1, choices=Tier.choices, blank=True)
    tier_override_reason = models.TextField(_("why overridden"), blank=True)
    #: The early-warning signal and its reasons ([{"code", "params"}]), recomputed with the tier.
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.OK, db_default=Health.OK
    )
    health_reasons = JSONField(_("health reasons"), default=list, blank=True, db_default=[])
    health_computed_at = models.DateTimeField(_("health computed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            models.Index(fields=["tenant", "name"]),
            models.Index(fields=["tenant", "stage"]),
            # the dashboard's partners needing attention, each health value in name order
            models.Index(fields=["tenant", "health", "name"], name="partner_health_name"),
            # the dashboard's counts per stage (overdue, days in stage) and per tier in force, read from
            # the index alone instead of every (wide) partner row
            # ... and the pipeline board's first cards of each column (soonest due, then by name), in
            # the index's order: no sort of a stage's partners to show 25 of them
            models.Index(
                fields=["tenant", "stage", "stage_due_at", "name", "id", "stage_entered_at"],
                name="partner_pipeline",
            ),
            models.Index(
                fields=["tenant", "stage", "tier_override", "computed_tier"], name="partner_tier_in_force"
            ),
            # the team report's partners per owner and region (tier, overdue), and each visit's region,
            # read from the index instead of the wide partner rows
            models.Index(
                fields=[
                    "tenant",
                    "region",
                    "owner",
                    "stage",
                    "computed_tier",
                    "tier_override",
                    "stage_due_at",
                    "id",
                ],
                name="partner_report",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tier(self) -> str:
        """The tier in force: the manager's override, else the computed one."""
        return self.tier_override or self.computed_tier

    @property
    def tier_overridden(self) -> bool:
        return bool(self.tier_override)

    @property
    def overdue(self) -> bool:
        return self.stage_due_at is not None and self.stage_due_at < timezone.now()


class Contact(TenantOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class PartnerUser(TenantOwned):
    """A partner user's membership belongs to exactly one partner of the same tenant."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="partner_link", verbose_name=_("membership")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="users", verbose_name=_("partner")
    )
    #: A partner admin may invite colleagues of its own partner.
    is_partner_admin = models.BooleanField(_("partner admin"), default=False)

    class Meta:
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")

    def __str__(self):
        return f"{self.membership.user} → {self.partner}"


class StageChange(TenantOwned):
    """One move of a partner between stages: who, when, why."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("why"), blank=True)

    @property
    def description(self) -> str:
        """The note, or for the first entry of a partner's history, that it was created."""
        if self.note or self.from_stage:
            return self.note
        return str(_("Created."))

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")


class RelationshipChange(TenantOwned):
    """The referral relationship deepening (or cooling): business → friendship → partnership, over time."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="relationship_changes")
    from_level = models.CharField(_("from"), max_length=20, choices=ReferralLevel.choices, blank=True)
    to_level = models.CharField(_("to"), max_length=20, choices=ReferralLevel.choices, blank=True)
    note = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("relationship change")
        verbose_name_plural = _("relationship changes")

    def __str__(self):
        return f"{self.partner}: {self.from_level or '—'} → {self.to_level or '—'}"
