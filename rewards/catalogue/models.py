"""The rewards catalogue, redemptions of points, and the points expiry warnings sent.

Points live in ``incentives.models.PointsEntry`` (the ledger); a redemption keeps the ledger rows
it wrote: ``reserve_entry`` (−price, written when it is requested) and ``return_entry`` (+price,
written when it is refused or cancelled). So a redemption's rows add up to −price while it is open
or delivered, and to 0 once refused or cancelled. A prize (``Redemption.prize``) costs 0 points and
has no ledger rows at all, which keeps that sum true.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from incentives.models import PointsEntry
from partners.models import Partner
from prm.files import TenantPath
from prm.tenancy.scoping import TenantOwned

from .choices import ItemKind, RedemptionStatus


class RewardItem(TenantOwned):
    """Something partners can spend points on."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.GIFT)
    #: ``{language code: text}``; shown in the reader's language, else the tenant's, else any
    description = models.JSONField(_("description"), default=dict, blank=True)
    points = models.PositiveIntegerField(_("points price"), validators=[MinValueValidator(1)])
    #: how many are left to redeem; null: unlimited
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    #: the tiers whose partners may redeem it (empty: every tier, and partners without one)
    tiers = models.JSONField(_("tiers allowed"), default=list, blank=True)
    #: kinds of reward (``rewards.preferences.choices.RewardKind``) this item suits; partners who
    #: prefer one of them see it first, marked "For you"
    for_preferences = models.JSONField(_("for partners who prefer"), default=list, blank=True)
    #: offered only to partners who prefer one of ``for_preferences``
    preferences_only = models.BooleanField(_("only for those partners"), default=False)
    #: served by ``rewards/catalogue/<id>/picture/`` only, after the row is found in scope
    picture = models.FileField(
        _("picture"), upload_to=TenantPath("reward-pictures"), max_length=200, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["points", "name", "id"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")

    def __str__(self):
        return self.name

    def description_in(self, language: str | None = None, default: str | None = None) -> str:
        """The description in ``language`` (the active one by default), else in ``default`` (the
        tenant's language), else the first there is."""
        texts = {k: v for k, v in (self.description or {}).items() if v}
        for code in (language or translation.get_language() or "", default or ""):
            if code in texts:
                return texts[code]
            if code and code.split("-")[0] in texts:
                return texts[code.split("-")[0]]
        return next(iter(texts.values()), "")


class Redemption(TenantOwned):
    """A partner spends points on an item: reserved at once, decided by a manager, then fulfilled."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="redemptions")
    item = models.ForeignKey(RewardItem, on_delete=models.PROTECT, related_name="redemptions")
    #: the item's name and price when it was redeemed (the item may change later)
    item_name = models.CharField(_("reward"), max_length=200)
    points = models.PositiveIntegerField(_("points"))
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.REQUESTED
    )
    #: granted as a contest's prize (``services.redemptions.redemption_grant``): it costs no points
    #: (``points`` 0, no ledger rows) and was approved when granted
    # db_default (both): the previous release inserts redemptions without these columns during an upgrade
    prize = models.BooleanField(_("prize"), default=False, db_default=False)
    #: a prize granted when the item was out of stock: none was taken from the stock (so none goes
    #: back if it is cancelled); it waits for the manager to procure one, then is fulfilled as usual
    waits_for_stock = models.BooleanField(_("waiting for stock"), default=False, db_default=False)
    #: what the partner wants us to know (address, dates, the cause)
    note = models.TextField(_("delivery details"), blank=True)
    #: the manager's last note: why refused, the tracking number, the booking reference
    status_note = models.TextField(_("note"), blank=True)
    #: every move: ``[{"status", "at" (ISO), "by" (user name), "note"}]``, oldest first
    history = models.JSONField(_("history"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # DO_NOTHING, with the database's foreign key kept: these ledger rows are run-less, which no
    # recompute deletes, and the database refuses any delete of them; an ORM PROTECT would make
    # every recompute fetch a draft run's points entries in batches to check them
    reserve_entry = models.OneToOneField(
        PointsEntry, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    return_entry = models.OneToOneField(
        PointsEntry, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        indexes = [models.Index(fields=["tenant", "status", "created_at"], name="redemption_queue")]

    def __str__(self):
        return f"#{self.pk} {self.item_name}"


class ExpiryWarning(TenantOwned):
    """A partner's users were told that points will expire (one warning per partner per 30 days)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveIntegerField(_("points"))
    expires_on = models.DateField(_("expires on"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("points expiry warning")
        verbose_name_plural = _("points expiry warnings")
