"""Reading the mail store: a tenant's sent e-mails, newest first, a page at a time by keyset."""

from __future__ import annotations

from django.db.models import Q

from .models import SentEmail

PAGE_SIZE = 50


def sent_email_list(*, tenant, kind: str = ""):
    """The tenant's sent e-mails, newest first (the index ``sentemail_list_keyset``); of one kind."""
    queryset = SentEmail.objects.for_tenant(tenant).order_by("-created_at", "-id")
    return queryset.filter(kind=kind) if kind else queryset


def sent_email_page(*, tenant, kind: str = "", after: int | None = None, size: int = PAGE_SIZE):
    """``(rows, next_after)``: ``size`` e-mails older than the e-mail ``after`` (from the newest
    without it), and the id to ask for the next page with (None on the last page). Every page costs
    the same: the seek follows the index, no OFFSET and no COUNT."""
    queryset = sent_email_list(tenant=tenant, kind=kind)
    if after is not None:
        mark = SentEmail.objects.for_tenant(tenant).filter(pk=after).values("created_at", "pk").first()
        if mark is not None:
            queryset = queryset.filter(
                Q(created_at__lt=mark["created_at"]) | Q(created_at=mark["created_at"], pk__lt=mark["pk"])
            )
    rows = list(queryset[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)
