"""Live figures: a partner's own figures refreshed within seconds of a change, not at the next night.

A sale, a deal registration, a visit or a course completion of a partner (the models apps declare
as ``live_sources``, ``partners.plugs``) asks for a refresh of that partner once its transaction
commits (``touch``). The refresh is a Celery task per partner, debounced: the first change starts
a countdown of ``PRM_LIVE_DEBOUNCE_SECONDS``, the changes that follow within it ride on the same
task (a cache key says one is on its way), and the task clears the key before it reads, so a change
made while it runs asks for the next one. Two refreshes of one partner never run at once (they
hold the partner's key in PostgreSQL, ``prm.sql.hold``).

What a refresh does is each ``live_figures`` entry's ``refresh(tenant, partner_id, now)``, in one
transaction, each reading that partner's rows only (the ``(tenant, partner, date)`` indexes):

- partners: the tier inputs (``tier_inputs``: what the window's sales, deals and visits measure of
  the partner, as the full recompute measures them; the tier itself is placed against the whole
  channel and stays the night's);
- scorecards: the partner's card of the current quarter, when that quarter has cards.

The full recompute writes the same inputs for every partner, so after a refresh it finds nothing
to change (``tests/partners/test_live.py`` holds the two equal). ``Partner.figures_at`` says when
the figures were last brought up to date; the partner page shows it as "updated … ago".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.sql import hold

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveFigure:
    """``refresh(tenant, partner_id, now)``: bring one partner's ``name`` figures up to date."""

    name: str
    refresh: Callable


@dataclass(frozen=True)
class LiveSource:
    """A model whose rows (with ``tenant_id`` and ``partner_id``) move a partner's figures: saving or
    deleting one asks for a refresh of its partner."""

    model: type


_figures: dict[str, Callable] = {}
_sources: list[type] = []


def register_live_figure(declared: LiveFigure) -> None:
    _figures[declared.name] = declared.refresh


def register_live_source(declared: LiveSource) -> None:
    if declared.model in _sources:
        return
    _sources.append(declared.model)
    uid = f"prm.live:{declared.model._meta.label}"
    post_save.connect(_row_changed, sender=declared.model, dispatch_uid=uid + ":save")
    post_delete.connect(_row_changed, sender=declared.model, dispatch_uid=uid + ":delete")


def _row_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures loading
        return
    touch(instance.tenant_id, [instance.partner_id])


def touch(tenant_id: int, partner_ids: Iterable[int | None]) -> None:
    """Ask for a refresh of each of ``partner_ids`` once the current transaction commits (at once
    outside one). An import of many partners' rows asks for at most ``PRM_LIVE_MOST_PARTNERS``:
    beyond that the nightly recompute is the cheaper way."""
    ids = sorted({pk for pk in partner_ids if pk})
    if not ids or len(ids) > settings.PRM_LIVE_MOST_PARTNERS:
        return
    transaction.on_commit(lambda: [_schedule(tenant_id, pk) for pk in ids])


def _key(tenant_id: int, partner_id: int) -> str:
    return f"prm.live:{tenant_id}:{partner_id}"


def _schedule(tenant_id: int, partner_id: int) -> None:
    """Send the partner's refresh, unless one is already on its way."""
    from partners.tasks import refresh_live  # noqa: PLC0415 (the task calls ``refresh`` here)

    delay = settings.PRM_LIVE_DEBOUNCE_SECONDS
    if not cache.add(_key(tenant_id, partner_id), 1, timeout=delay + 60):
        return
    try:
        refresh_live.apply_async(kwargs={"tenant_id": tenant_id, "partner_id": partner_id}, countdown=delay)
    except Exception:  # the broker is away: the nightly recompute brings the figures up to date
        cache.delete(_key(tenant_id, partner_id))
        logger.warning("live refresh of partner %s not sent", partner_id, exc_info=True)


def refresh(tenant, partner_id: int) -> None:
    """Bring one partner's figures up to date (every ``live_figures`` entry), in one transaction."""
    cache.delete(_key(tenant.pk, partner_id))  # a change from now on asks for the next refresh
    now = timezone.now()
    with transaction.atomic():
        hold(f"partners.live:{tenant.pk}:{partner_id}")
        if not Partner.objects.for_tenant(tenant).filter(pk=partner_id).exists():
            return  # deleted meanwhile
        for figure in _figures.values():
            figure(tenant, partner_id, now)
        Partner.objects.for_tenant(tenant).filter(pk=partner_id).update(figures_at=now)


#: The tier inputs the partner page lists as its live figures, with their words.
_SHOWN = (
    ("revenue", _("Revenue in the window")),
    ("registrations", _("Deal registrations")),
    ("won", _("Deals won")),
    ("lost", _("Deals lost")),
    ("visits", _("Visits")),
)


def shown_figures(partner) -> list[dict]:
    """The partner's live figures for its page: ``{"name", "label", "value"}`` of each tier input
    measured (revenue in the tenant's currency, the others counts)."""
    if not partner.figures_at:
        return []
    inputs = partner.tier_inputs or {}
    return [{"name": name, "label": label, "value": inputs.get(name, 0)} for name, label in _SHOWN]
