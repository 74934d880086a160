"""Filter backends shared by the apps' API lists."""

from django_filters.rest_framework import DjangoFilterBackend


class QueryFilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a request naming none of the filterset's parameters is
    answered unfiltered without binding the filter form: building its fields (choices, member and
    partner querysets) costs an unfiltered list page more than its query, to filter nothing.

    A parameter counts when it starts with a filter's name (range widgets add suffixes, as in
    ``date_after``); a filterset with a required filter is always bound, so that its 400 stays.
    For filtersets whose empty filters filter nothing (django-filter's own): a view opts in.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not names_a_filter(request.query_params, filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)


def names_a_filter(params, filterset_class) -> bool:
    """Whether the query string gives any filter of ``filterset_class`` a value (or one is required)."""
    filters = filterset_class.base_filters
    if any(f.extra.get("required") for f in filters.values()):
        return True
    return any(param.startswith(name) for param in params for name in filters)
