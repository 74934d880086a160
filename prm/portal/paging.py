"""Page numbers for lists of any size, without counting a table of millions on every page.

Django's ``Paginator`` counts every row the list matches to print "Page 3 of
N": at ten million sales that count is most of the page's time. This one
counts at most ``COUNT_CAP`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``,
a few milliseconds over the list's index). Under the cap it is Django's own
paginator, page for page. Past it the page says "Page 7 of more than 200",
any later page number can be asked for, and whether there is a next page
is read from one extra row fetched with the page.

Every portal list page uses it (``TenantPageMixin.paginator_class``); the API
has its own pagination (``prm/api/pagination.py``).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

#: rows a list counts at most before it stops saying how many pages it has
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """``Paginator`` whose count stops at ``cap`` rows (see the module docstring)."""

    def __init__(
        self,
        object_list,
        per_page,
        orphans=0,
        allow_empty_first_page=True,
        cap: int | None = None,
        counted=None,
    ):
        """``counted``: the same rows as ``object_list`` in a queryset cheaper to count (without the
        list's per-row subqueries), when there is one."""
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self) -> int:
        """Rows in the list, or ``cap + 1`` when there are more than ``cap``."""
        rows = self.counted
        if callable(getattr(rows, "count", None)) and hasattr(rows, "query"):
            # in no order: any cap + 1 rows tell whether there are more (sorting the whole list to
            # pick them cost the scorecards page 266 of its 345 ms at 62,500 cards)
            return rows.order_by()[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @property
    def capped(self) -> bool:
        """True when the list holds more rows than were counted."""
        return self.count > self.cap

    @property
    def pages_counted(self) -> int:
        """Whole pages within the count (what "more than N pages" says)."""
        return self.cap // self.per_page

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(_("That page number is not an integer")) from exc
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def get_page(self, number):
        """A page that exists, whatever is asked: past the last row, the last counted page."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self._rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def _rows(self, bottom: int, top: int) -> list:
        """Rows ``bottom:top`` of the list. Deep in a list of model rows, the page's ids are found
        first (an OFFSET over the ordering's index alone), then only those rows are read with their
        related rows: an OFFSET of 50 000 sales would otherwise join 50 000 partners to skip them."""
        rows = self.object_list
        if getattr(rows, "_iterable_class", None) is not ModelIterable or bottom < self.cap:
            return list(rows[bottom:top])
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        found = rows.in_bulk(ids) if ids else {}
        return [found[pk] for pk in ids if pk in found]


class CappedPage(Page):
    """A page past the count: it knows whether a next page exists from the extra row it read."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
