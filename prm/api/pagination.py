"""List pagination of the API contract: page numbers with count for most lists, a keyset cursor for
the tables that grow without bound (sales, payout lines, scorecards, audit, jobs, webhook deliveries)."""

import base64
import binascii
import json

from django.core.paginator import Paginator
from django.db.models import Q
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


class PagePagination(PageNumberPagination):
    """Page numbers with ``count``. A view that knows its unfiltered list's size without counting it
    says so in ``known_count(request)`` (an int, or None to count): the count then costs nothing."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        known = getattr(view, "known_count", None)
        self.known = known(request) if known is not None else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        paginator = Paginator(object_list, per_page)
        if self.known is not None:
            paginator.count = self.known  # (a cached property of Django's paginator)
        return paginator


class KeysetPagination(BasePagination):
    """Cursor pagination over a compound key: ``{"next", "previous", "results"}`` with an opaque
    ``?cursor=`` (and ``?page_size=``, at most 200).

    Each page is ``WHERE (key) < (last row's key) ORDER BY key LIMIT n`` on the view's
    ``cursor_ordering`` (e.g. ``("-date", "-id")`` for sales, over an index in that order), so page
    1000 costs what page 1 costs: no ``COUNT(*)``, no ``OFFSET``. ``?ordering=`` (the view's
    ``ordering_fields``) sorts by another field, with the id as the tie-break.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    default_ordering = ("-id",)

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.view = request, view
        size = self._page_size(request)
        self.ordering = self._ordering(request, queryset, view)
        cursor = request.query_params.get(self.cursor_query_param)
        values, backwards = self._decode(cursor) if cursor else (None, False)
        ordered = queryset.order_by(*(self._flip(f) for f in self.ordering) if backwards else self.ordering)
        if values is not None:
            ordered = ordered.filter(self._after(values, backwards))
        rows = list(ordered[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, values is not None
        self.rows = rows
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.rows[-1], False) if self.has_next and self.rows else None,
                "previous": self._link(self.rows[0], True) if self.has_previous and self.rows else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page: the opaque value of a next or previous link",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (at most {self.max_page_size})",
                "schema": {"type": "integer"},
            },
        ]

    # --- the parts -------------------------------------------------------------------

    def _page_size(self, request) -> int:
        try:
            return max(
                1,
                min(
                    int(request.query_params.get(self.page_size_query_param, self.page_size)),
                    self.max_page_size,
                ),
            )
        except ValueError:
            return self.page_size

    def _ordering(self, request, queryset, view) -> tuple:
        ordering = tuple(getattr(view, "cursor_ordering", self.default_ordering))
        asked = request.query_params.get("ordering", "").strip()
        allowed = set(getattr(view, "ordering_fields", None) or ())
        if asked and asked.lstrip("-") in allowed:
            tie = "-id" if asked.startswith("-") else "id"
            ordering = (asked,) if asked.lstrip("-") == "id" else (asked, tie)
        return ordering

    @staticmethod
    def _flip(field: str) -> str:
        return field[1:] if field.startswith("-") else f"-{field}"

    def _after(self, values: list, backwards: bool) -> Q:
        """Rows after the cursor's key in this order (before it, going back)."""
        condition = Q()
        for index, field in enumerate(self.ordering):
            name, descending = field.lstrip("-"), field.startswith("-")
            earlier = {f.lstrip("-"): v for f, v in zip(self.ordering[:index], values, strict=False)}
            op = "lt" if descending != backwards else "gt"
            condition |= Q(**earlier, **{f"{name}__{op}": values[index]})
        return condition

    def _link(self, row, backwards: bool) -> str:
        values = [_plain(getattr(row, f.lstrip("-"))) for f in self.ordering]
        token = base64.urlsafe_b64encode(json.dumps([values, backwards]).encode()).decode()
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, token)

    def _decode(self, cursor: str):
        try:
            values, backwards = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            if not isinstance(values, list) or len(values) != len(self.ordering):
                raise ValueError
            return values, bool(backwards)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise NotFound("Invalid cursor.") from None


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)


class MergedKeysetPagination(KeysetPagination):
    """The same cursor over rows merged in Python from several tables (a partner's history: stage and
    tier changes), newest first by ``(at, type, id)``. One partner's history is short; the page
    shape and the cursor are those of every growing list."""

    key = ("at", "type", "id")

    def paginate_queryset(self, rows, request, view=None):
        self.request = request
        size = self._page_size(request)
        self.ordering = tuple(f"-{k}" for k in self.key)
        cursor = request.query_params.get(self.cursor_query_param)
        values, backwards = self._decode(cursor) if cursor else (None, False)
        keyed = sorted(((self._key(row), row) for row in rows), key=lambda pair: pair[0], reverse=True)
        if values is None:
            window, more = keyed[:size], len(keyed) > size
            self.has_next, self.has_previous = more, False
        elif not backwards:
            after = [pair for pair in keyed if pair[0] < tuple(values)]
            window, self.has_next, self.has_previous = after[:size], len(after) > size, True
        else:
            before = [pair for pair in keyed if pair[0] > tuple(values)]
            window, self.has_previous, self.has_next = before[-size:], len(before) > size, True
        self.rows = [row for _key, row in window]
        return self.rows

    def _key(self, row) -> tuple:
        return tuple(_plain(row[k]) for k in self.key)

    def _link(self, row, backwards: bool) -> str:
        token = base64.urlsafe_b64encode(json.dumps([list(self._key(row)), backwards]).encode()).decode()
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, token)
