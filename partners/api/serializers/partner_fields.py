"""The partner list's sparse rows (``?fields=``, ``prm.api.sparse``): for each field of a list row,
the columns it reads and how it is written, so that a list asked for ``id,name,tier`` reads three
columns and writes three keys, and runs no contacts query and no tier sentence or health words.

The full row stays ``partner_row`` (written out by hand: it is the default answer); a sparse row of
every field is that row, pinned by ``tests/partners/test_sparse_fields.py``.
"""

from __future__ import annotations

from partners.api.serializers.partners import (
    PartnerForPartnerSerializer,
    PartnerSerializer,
    health_of,
    tier_explanation,
)
from prm.api.fields import datetime_text

#: The key every list row adds to the detail's fields: the address of the partner's detail.
URL = "url"

#: Fields written as the column of the same name holds them.
_PLAIN = (
    "name",
    "region",
    "country",
    "industry",
    "website",
    "lines_carried",
    "source",
    "referrer",
    "referral_level",
    "operating_model",
    "on_target_list",
    "key_partner",
    "stage",
    "inactive_reason",
    "computed_tier",
    "tier_override_reason",
)
#: Fields written as a datetime in the request's time zone.
_MOMENTS = ("stage_entered_at", "stage_due_at", "lead_approved_at", "created_at")


def _plain(name):
    return (name,), lambda partner, shared: getattr(partner, name)


def _moment(name):
    return (name,), lambda partner, shared: datetime_text(getattr(partner, name), shared["zone"])


#: field -> (the columns of ``Partner`` it reads, how it is written from a listed partner and what
#: the page shares: ``zone``, ``words``, ``contacts``, ``detail``)
FIELDS = {
    **{name: _plain(name) for name in _PLAIN},
    **{name: _moment(name) for name in _MOMENTS},
    "id": ((), lambda partner, shared: partner.pk),
    "owner": (("owner_id",), lambda partner, shared: partner.owner_id),
    "overdue": (("stage_due_at",), lambda partner, shared: partner.overdue),
    "tier": (("tier_override", "computed_tier"), lambda partner, shared: partner.tier or None),
    "tier_overridden": (("tier_override",), lambda partner, shared: partner.tier_overridden),
    "tier_explanation": (
        ("tier_axes", "computed_tier", "tier_computed_at"),
        lambda partner, shared: tier_explanation(partner, shared["words"]),
    ),
    "health": (
        ("health", "health_reasons", "health_computed_at"),
        lambda partner, shared: health_of(partner),
    ),
    "contacts": (("tenant_id",), lambda partner, shared: shared["contacts"].get(partner.pk, [])),
    URL: ((), lambda partner, shared: f"{shared['detail']}{partner.pk}/"),
}

#: What each side may choose, in the order its rows write them: the detail's fields, then ``url``.
STAFF_FIELDS = (*PartnerSerializer.Meta.fields, URL)
PARTNER_USER_FIELDS = (*PartnerForPartnerSerializer.Meta.fields, URL)


def columns_for(chosen) -> tuple[str, ...]:
    """The columns a page of ``chosen`` fields reads: the id always (the page's key), then each
    column once."""

    columns = {"id": None}
    for name in chosen:
        columns.update(dict.fromkeys(FIELDS[name][0]))
    return tuple(columns)


def sparse_row(partner, chosen, shared) -> dict:
    """The ``chosen`` fields of one listed partner (``selectors.ListedPartner``), in that order."""

    return {name: FIELDS[name][1](partner, shared) for name in chosen}
