"""Payout runs and their lines, and the points ledger.

An approved run and its lines never change: ``save()`` and ``delete()``
refuse, and so do queryset updates and deletes of approved lines.
Corrections are adjustment lines in a later (draft) run.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantManager, TenantOwned, TenantQuerySet

from ..choices import RuleKind, RunStatus
from .rules import IncentiveRule


class ImmutableError(ValidationError):
    """An approved run (or one of its lines) was about to change."""


class PayoutRun(TenantOwned):
    period = models.CharField(_("period"), max_length=7)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    #: {code: {"by": user id, "name": who, "at": ISO time}}: the kinds of warning finance has checked
    acknowledgements = models.JSONField(_("acknowledged warnings"), default=dict, blank=True)
    #: What the run's page and API show of its lines and warnings, kept when it is computed or adjusted
    #: (``incentives.services.drafts.run_summary``), so that they cost the same for 100 lines as for
    #: 177 500: {"lines", "partners", "kinds": [{"kind", "total", "lines"}], "total", "warnings_count",
    #: "warnings": [{"code", "count"}]}. Null for runs computed before it was kept. The warnings
    #: themselves are rows (``PayoutRunWarning``).
    summary = models.JSONField(_("summary"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    warnings_acknowledged = models.BooleanField(_("warnings acknowledged"), default=False)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")
        constraints = [models.UniqueConstraint(fields=["tenant", "period"], name="one_run_per_period")]

    def __str__(self):
        return f"{self.period} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("allow_final", False):
            stored = (
                type(self)
                .objects.for_tenant(self.tenant_id)
                .filter(pk=self.pk)
                .values_list("status", flat=True)
                .first()
            )
            if stored and stored != RunStatus.DRAFT:
                raise ImmutableError(_("An approved payout run never changes."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = (
            type(self)
            .objects.for_tenant(self.tenant_id)
            .filter(pk=self.pk)
            .values_list("status", flat=True)
            .first()
        )
        if self.status != RunStatus.DRAFT or (stored and stored != RunStatus.DRAFT):
            raise ImmutableError(_("An approved payout run is never deleted."))
        return super().delete(*args, **kwargs)


class LineQuerySet(TenantQuerySet):
    def _refuse_final(self):
        if self.exclude(run__status=RunStatus.DRAFT).exists():
            raise ImmutableError(_("Lines of an approved payout run never change."))

    def update(self, **kwargs):
        with self.explicit_scope():
            self._refuse_final()
            target = kwargs.get("run")
            if target is not None:
                target_id = getattr(target, "pk", target)
                if PayoutRun._base_manager.filter(pk=target_id).exclude(status=RunStatus.DRAFT).exists():
                    raise ImmutableError(_("Lines of an approved payout run never change."))
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with self.explicit_scope():
            self._refuse_final()
            return super().delete()

    delete.alters_data = True


class LineManager(TenantManager.from_queryset(LineQuerySet)):
    pass


class PayoutLine(TenantOwned):
    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="lines")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="payout_lines")
    rule = models.ForeignKey(IncentiveRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule_version = models.PositiveIntegerField(_("rule version"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=[*RuleKind.choices, ("adjustment", _("Adjustment"))]
    )
    #: Rounded once, half up, to cents, when the line is made (see incentives.money).
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    explanation = models.TextField(_("explanation"))
    #: The facts the line came from: sale ids, scorecard id, rates used, ...
    source = models.JSONField(_("source facts"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LineManager()

    class Meta:
        ordering = ["partner__name", "kind", "id"]
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        # a run's lines partner by partner, read from the index alone (tenant first: row-level security
        # filters on it): the run page walks partners by name and reads each one's lines, already in
        # kind order, and sums each one's amounts; a run's line count and totals per kind read only it
        indexes = [
            models.Index(
                fields=["tenant", "run", "partner", "kind", "id", "amount"], name="payout_line_run_partner"
            )
        ]

    def __str__(self):
        return f"{self.partner} {self.kind} {self.amount} {self.currency}"

    def _check_run(self):
        runs = {self.run_id}
        if self.pk:  # the run it is stored under counts too: a line never leaves an approved run
            runs |= set(
                type(self)
                .objects.for_tenant(self.tenant_id)
                .filter(pk=self.pk)
                .values_list("run_id", flat=True)
            )
        if (
            PayoutRun.objects.for_tenant(self.tenant_id)
            .filter(pk__in=runs)
            .exclude(status=RunStatus.DRAFT)
            .exists()
        ):
            raise ImmutableError(_("Lines of an approved payout run never change."))

    def save(self, *args, **kwargs):
        self._check_run()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_run()
        return super().delete(*args, **kwargs)


class PointsEntry(TenantOwned):
    """Non-monetary rewards: points earned (or spent) with the reason, a ledger per partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="points")
    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, null=True, blank=True, related_name="points")
    rule = models.ForeignKey(IncentiveRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    points = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")


class Payment(TenantOwned):
    """What finance paid one partner for an approved run: the bank's date and reference.

    One per partner and run, for exactly what the run owes the partner (its money lines; points
    are not paid). Recorded by hand or imported from the bank's or ERP's file; never edited.
    When every partner the run owes is paid, the run is ``paid``.
    """

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="payments")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["partner__name", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "run", "partner"], name="one_payment_per_partner_and_run"
            )
        ]

    def __str__(self):
        return f"{self.partner} {self.amount} {self.currency} {self.paid_on} {self.reference}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ImmutableError(_("A recorded payment never changes."))
        super().save(*args, **kwargs)
