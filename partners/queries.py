"""The plain SQL statements of partners/, each a function saying what it returns.

Plain SQL is used where a page reads the same rows on every request and the ORM's building of the
query was most of the cost. Row-level security applies to every statement: they run as the web
role, inside the request's tenant scope, like any ORM query.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

from partners.models import Contact, PartnerCount


def kept_partner_count(tenant_id: int) -> int | None:
    """The number of partners the database keeps for the tenant (``PartnerCount``, kept by a
    trigger as partners are added and removed), or None when no row is kept yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT partners FROM {PartnerCount._meta.db_table} WHERE tenant_id = %s", [tenant_id]
        )
        kept = cursor.fetchone()
    return kept[0] if kept else None


def contacts_of(tenant_id: int, partner_ids: list[int], fields) -> dict[int, list[dict]]:
    """The contacts of the partners ``partner_ids`` of the tenant, each a dict of ``fields`` (model
    field names), in ``Contact``'s ordering: ``{partner id: [{field: value}, ...]}``; partners
    without a contact are left out. One statement."""
    if not partner_ids:
        return {}
    quote, meta = connection.ops.quote_name, Contact._meta
    columns = [meta.get_field(name).column for name in fields]
    order = ", ".join(
        f"{quote(meta.get_field(name.lstrip('-')).column)}{' DESC' if name.startswith('-') else ''}"
        for name in meta.ordering
    )
    sql = (
        f"SELECT partner_id, {', '.join(quote(c) for c in columns)} FROM {quote(meta.db_table)} "
        f"WHERE tenant_id = %s AND partner_id = ANY(%s) ORDER BY {order}"
    )
    grouped = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [tenant_id, list(partner_ids)])
        for partner_id, *values in cursor.fetchall():
            grouped[partner_id].append(dict(zip(fields, values, strict=True)))
    return dict(grouped)
