"""Conditions on partners that lists, filters, reports and panels share (``Q`` objects), below
all of them so that each can import them."""

from django.db.models import Q
from django.utils import timezone


def overdue_q(now=None) -> Q:
    """Partners past their stage's time box (``stage_due_at`` before ``now``)."""
    return Q(stage_due_at__lt=now or timezone.now())
