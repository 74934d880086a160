"""Points expiry (``points_expiry_months`` of the catalogue's programme settings; 0: never).

Which points expire — first in, first out:

- every positive ledger row that counts (``ledger.counted``) is a *lot* dated by its ``created_at``:
  points of an approved payout run, credits, contests' and awards' prizes, and points given back
  by a refused or cancelled redemption (a new lot, dated when given back);
- every negative row (a redemption's reserve, a debit, an earlier expiry) spends the oldest lots
  first, whenever it was written;
- what is left of a lot earned ``N`` months ago or more expires: the daily job
  (``catalogue.expire_points``) writes one negative row per partner for it, with its reason.

So a partner spends its oldest points first, and what expires is always its oldest points. The
balance never goes below zero: what is left of the old lots is part of the balance.

Thirty days before points expire the partner's users are e-mailed how many and when (once per 30
days per partner, recorded as an ``ExpiryWarning``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners.models import Partner
from partners.selectors import partner_accounts
from prm.audit.events import audit_record
from prm.notifications import notify

from ..audit_actions import CatalogueAudit
from ..ledger import counted, lock_partner, write
from ..models import ExpiryWarning
from ..programme import catalogue_programme_for

WARN_DAYS = 30


def remaining_lots(rows) -> list[tuple[datetime, int]]:
    """What is left of each lot after the debits spent the oldest first: ``[(earned at, points)]``,
    oldest first, empty lots left out. ``rows`` are ``(created_at, points)`` in ledger order."""
    rows = sorted(rows, key=lambda r: r[0])
    spent = -sum(points for _at, points in rows if points < 0)
    left = []
    for at, points in rows:
        if points <= 0:
            continue
        used = min(points, spent)
        spent -= used
        if points - used:
            left.append((at, points - used))
    return left


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def lots_of(partner) -> list[tuple[datetime, int]]:
    """The partner's lots with what is left of each (``remaining_lots``), oldest first."""
    rows = (
        counted(partner.tenant_id)
        .filter(partner_id=partner.pk)
        .order_by("created_at", "pk")
        .values_list("created_at", "points")
    )
    return remaining_lots(list(rows))


def expiring(lots, *, months: int, on: date) -> tuple[int, date | None]:
    """Points of ``lots`` that have expired by the end of ``on`` (earned ``months`` before or
    earlier), and the first day one of them expired (None when none)."""
    cutoff = _start_of(on - relativedelta(months=months) + timedelta(days=1))
    due = [(at, points) for at, points in lots if at < cutoff]
    if not due:
        return 0, None
    return sum(points for _at, points in due), (
        timezone.localtime(due[0][0]).date() + relativedelta(months=months)
    )


def expire_partner(partner, *, months: int, today: date) -> int:
    """Write the expiry row of what the partner's old lots still hold (under its lock); returns the
    points expired."""
    with transaction.atomic():
        partner = lock_partner(partner)
        points, _first = expiring(lots_of(partner), months=months, on=today)
        if points <= 0:
            return 0
        with translation.override(partner.tenant.default_language):
            reason = _("Expired: points earned more than %(m)d months ago") % {"m": months}
        write(partner, -points, reason)
        audit_record(
            tenant=partner.tenant,
            actor=None,
            action=CatalogueAudit.POINTS_EXPIRED,
            target=partner,
            changes={"points": [None, -points]},
            reason=reason,
        )
        return points


def warn_partner(partner, *, months: int, today: date) -> int:
    """E-mail the partner's users about points that expire within 30 days, unless they were warned
    less than 30 days ago; returns the points warned about (0: no e-mail)."""
    lots = lots_of(partner)
    now_due, _first = expiring(lots, months=months, on=today)
    soon, first = expiring(lots, months=months, on=today + timedelta(days=WARN_DAYS))
    points = soon - now_due
    if points <= 0:
        return 0
    recent = ExpiryWarning.objects.for_tenant(partner.tenant_id).filter(
        partner_id=partner.pk, sent_on__gt=today - timedelta(days=WARN_DAYS)
    )
    if recent.exists():
        return 0
    first_future = max(first, today + timedelta(days=1)) if first else today + timedelta(days=WARN_DAYS)
    with transaction.atomic():
        ExpiryWarning.objects.for_tenant(partner.tenant_id).create(
            tenant_id=partner.tenant_id,
            partner=partner,
            points=points,
            expires_on=first_future,
            sent_on=today,
        )
        users = partner_accounts(tenant=partner.tenant_id, partner_ids=[partner.pk])[partner.pk]
        with translation.override(partner.tenant.default_language):
            subject = _("%(n)d points of %(p)s expire soon") % {"n": points, "p": partner.name}
        notify(
            tenant=partner.tenant,
            users=users,
            category="points_expiry",
            subject=subject,
            template="notifications/points_expiring.txt",
            context={"partner": partner, "points": points, "expires_on": first_future},
        )
    return points


def points_expire(*, tenant, today: date | None = None) -> dict:
    """The daily job of one tenant: expire old points, then warn of those expiring within 30 days.
    Nothing when the programme keeps points for ever."""
    months = catalogue_programme_for(tenant).points_expiry_months
    if not months:
        return {"expired": 0, "warned": 0}
    today = today or timezone.localdate()
    partner_ids = (
        counted(tenant).filter(points__gt=0).order_by().values_list("partner_id", flat=True).distinct()
    )
    expired = warned = 0
    for partner in Partner.objects.for_tenant(tenant).filter(pk__in=list(partner_ids)).order_by("pk"):
        expired += expire_partner(partner, months=months, today=today)
        warned += bool(warn_partner(partner, months=months, today=today))
    return {"expired": expired, "warned": warned}
