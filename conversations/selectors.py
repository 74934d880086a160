"""Reads of the channel: a partner's history, the managers' queue, the dashboard's counts."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from .choices import Status
from .models import PartnerRequest, RequestMessage


def requests_of(tenant):
    """The tenant's requests with their partner and author, newest first."""
    return (
        PartnerRequest.objects.for_tenant(tenant)
        .select_related("partner", "raised_by")
        .order_by("-raised_at", "-id")
    )


def overdue_filter(now=None) -> Q:
    """Requests waiting for the vendor past their deadline."""
    return Q(status=Status.OPEN, due_at__lt=now or timezone.now())


def queue(tenant, *, status: str = "", category: str = "", partner=None, overdue: bool = False, now=None):
    """The managers' queue: overdue ones first, then the oldest deadline; ``status`` (default: the
    open ones and those answered), ``category``, ``partner`` and ``overdue`` narrow it."""
    now = now or timezone.now()
    rows = requests_of(tenant)
    if status:
        rows = rows.filter(status=status)
    else:
        rows = rows.exclude(status=Status.CLOSED)
    if category:
        rows = rows.filter(category=category)
    if partner:
        rows = rows.filter(partner=partner)
    if overdue:
        rows = rows.filter(overdue_filter(now))
    late = Case(When(overdue_filter(now), then=Value(0)), default=Value(1), output_field=IntegerField())
    open_first = Case(When(status=Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.annotate(late=late, open_first=open_first).order_by("late", "open_first", "due_at", "id")


def counts(rows, now=None) -> dict:
    """``{open, overdue, answered, closed}`` over ``rows``, in one query."""
    now = now or timezone.now()
    return rows.aggregate(
        open=Count("id", filter=Q(status=Status.OPEN)),
        overdue=Count("id", filter=overdue_filter(now)),
        answered=Count("id", filter=Q(status=Status.ANSWERED)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
    )


def thread(partner_request):
    """The request's messages, oldest first, with their authors."""
    return (
        RequestMessage.objects.for_tenant(partner_request.tenant_id)
        .filter(request=partner_request)
        .select_related("author")
        .order_by("created_at", "id")
    )
