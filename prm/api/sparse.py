"""Sparse fieldsets: ``?fields=id,name,tier`` asks a list for those keys of each row and no others.

A list that offers it names its selectable fields (in the order its rows write them); the view
reads the choice with ``chosen_fields`` before touching the database, so that it reads only the
columns, and runs only the queries, the chosen fields need. An unknown name is a 400 in the
contract's shape, ``{"fields": ["colour: Unknown field."]}``, naming it: a client never gets a row silently missing
the key it asked for.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

PARAMETER = "fields"


def chosen_fields(params, known) -> tuple[str, ...] | None:
    """The fields ``params`` (the query string) chooses, in ``known``'s order; None when it chooses
    none (no ``fields``, or an empty one): the list's full row. Names are comma separated, spaces
    around them ignored, repeats harmless. Raises ``ValidationError`` naming every unknown one."""

    given = params.get(PARAMETER, "")
    asked = {name.strip() for name in given.split(",")} - {""}
    if not asked:
        return None
    if unknown := sorted(asked.difference(known)):  # (the catalogues' message, after the name)
        raise ValidationError({PARAMETER: [f"{name}: {_('Unknown field.')}" for name in unknown]})
    return tuple(name for name in known if name in asked)
