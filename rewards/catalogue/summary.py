"""A partner's points at a glance: the balance, what is reserved, what expires soon."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from .choices import RedemptionStatus
from .ledger import balance
from .models import Redemption
from .programme import catalogue_programme_for
from .services.expiry import WARN_DAYS, expiring, lots_of


def points_summary(partner, *, today=None) -> dict:
    """``{partner, balance, reserved, expiring_soon, expiring_on, expiry_months}`` of the partner."""
    months = catalogue_programme_for(partner.tenant).points_expiry_months
    today = today or timezone.localdate()
    soon, first = 0, None
    if months:
        lots = lots_of(partner)
        due_now, _first = expiring(lots, months=months, on=today)
        later, first = expiring(lots, months=months, on=today + timedelta(days=WARN_DAYS))
        soon = later - due_now
    reserved = (
        Redemption.objects.for_tenant(partner.tenant_id)
        .filter(partner_id=partner.pk, status=RedemptionStatus.REQUESTED)
        .aggregate(total=Sum("points"))["total"]
    )
    return {
        "partner": partner.pk,
        "balance": balance(partner),
        "reserved": reserved or 0,
        "expiring_soon": soon,
        "expiring_on": first if soon else None,
        "expiry_months": months,
    }
