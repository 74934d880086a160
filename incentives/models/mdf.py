"""Market development funds: a partner requests against its budget, then claims with proof."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.files import TenantPath
from prm.tenancy.scoping import TenantOwned

from ..choices import ClaimStatus, MdfStatus
from .rules import IncentiveRule


class MdfRequest(TenantOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="mdf_requests")
    rule = models.ForeignKey(IncentiveRule, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7)
    plan = models.TextField(_("plan"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MdfStatus.choices, default=MdfStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("MDF request")
        verbose_name_plural = _("MDF requests")

    def __str__(self):
        return f"{self.partner} {self.period} {self.amount}"


class MdfClaim(TenantOwned):
    request = models.ForeignKey(MdfRequest, on_delete=models.CASCADE, related_name="claims")
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    #: What the partner claimed, where it was more than remained of the request and the programme
    #: pays what remains (``mdf_over_claim``): ``amount`` is what is paid, the difference the
    #: claim's open balance. Null when the whole claim is payable.
    claimed_amount = models.DecimalField(
        _("amount claimed"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("what was done"))
    #: A PDF or an image, stored privately under the tenant (prm/files.py); fetched
    #: through mdf-claims/{id}/proof/ only.
    proof = models.FileField(_("proof of execution"), upload_to=TenantPath("mdf-proofs"), max_length=200)
    proof_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Set on approval only; draft lines (the ones recomputes delete) are never referenced.
    paid_line = models.ForeignKey(
        "incentives.PayoutLine", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("MDF claim")
        verbose_name_plural = _("MDF claims")

    @property
    def paid_amount(self) -> Decimal:
        """What an approved run paid on the claim: the run pays within the period's budget, so it may be
        less than ``amount`` where the budget shrank after the claim was approved (0 until paid)."""
        return self.paid_line.amount if self.paid_line_id else Decimal("0.00")

    @property
    def unpaid_amount(self) -> Decimal | None:
        """What of an approved (or paid) claim no run has paid: all of it until its run, the part the
        budget did not cover after it. None for a claim not approved."""
        if self.status not in (ClaimStatus.APPROVED, ClaimStatus.PAID):
            return None
        return self.amount - self.paid_amount

    @property
    def balance(self):
        """What was claimed above the approved amount and stays open (0 when nothing does)."""
        return (self.claimed_amount - self.amount) if self.claimed_amount is not None else 0
