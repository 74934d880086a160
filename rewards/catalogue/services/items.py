"""Keeping the catalogue: add and change rewards (with their picture)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.choices import Tier
from prm.audit.events import audit_record
from prm.files import JPEG, PNG, check_upload
from rewards.preferences.choices import RewardKind

from ..audit_actions import CatalogueAudit
from ..models import RewardItem
from .restock import waiting_prizes_serve

FIELDS = (
    "name",
    "kind",
    "description",
    "points",
    "stock",
    "available_from",
    "available_until",
    "tiers",
    "for_preferences",
    "preferences_only",
    "active",
)


def _check(values: dict) -> None:
    errors = {}
    start, end = values.get("available_from"), values.get("available_until")
    if start and end and end < start:
        errors["available_until"] = [_("End the window on or after its start.")]
    if set(values.get("tiers") or []) - set(Tier.values):
        errors["tiers"] = [_("Use tiers among %(t)s.") % {"t": ", ".join(Tier.values)}]
    if set(values.get("for_preferences") or []) - set(RewardKind.values):
        errors["for_preferences"] = [_("Use kinds among %(k)s.") % {"k": ", ".join(RewardKind.values)}]
    languages = {code for code, _name in settings.LANGUAGES}
    description = values.get("description") or {}
    if not isinstance(description, dict) or set(description) - languages:
        errors["description"] = [
            _("Give a text per language code among %(l)s.") % {"l": ", ".join(sorted(languages))}
        ]
    if values.get("preferences_only") and not values.get("for_preferences"):
        errors["preferences_only"] = [_("Name the preferences the reward is only for.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reward_save(*, tenant, actor, item: RewardItem | None = None, picture=None, **values) -> RewardItem:
    """Create a reward, or change ``item`` (only the fields given). A new picture (PNG or JPEG,
    checked by content) replaces the old one; ``picture=False`` removes it. Stock added serves the
    prizes that wait for it, oldest first (``restock``)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not fields of a reward: {sorted(unknown)}")
    creating = item is None
    if creating:
        item = RewardItem(tenant=tenant)
    else:
        item = RewardItem.objects.for_tenant(tenant).select_for_update().get(pk=item.pk)
    before = {name: getattr(item, name) for name in FIELDS}
    merged = {**before, **values}
    merged["description"] = (
        {k: v for k, v in (merged.get("description") or {}).items() if v}
        if isinstance(merged.get("description"), dict)
        else merged.get("description")
    )
    _check(merged)
    for name in FIELDS:
        setattr(item, name, merged[name])
    if picture:
        check_upload(picture, field="picture", accept=(PNG, JPEG))
        item.picture.save(picture.name, picture, save=False)
    elif picture is False:
        item.picture = ""
    item.full_clean(exclude=["tenant", "picture"])
    item.save()
    changes = {
        name: [None if creating else _plain(before[name]), _plain(getattr(item, name))]
        for name in FIELDS
        if creating or before[name] != getattr(item, name)
    }
    audit_record(tenant=tenant, actor=actor, action=CatalogueAudit.REWARD_SAVED, target=item, changes=changes)
    if not creating and "stock" in changes:
        waiting_prizes_serve(item, actor=actor)
    return item


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
