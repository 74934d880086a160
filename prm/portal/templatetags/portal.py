"""Small template helpers of the portal shell."""

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination, sorting).

    ``page_param`` names the parameter that ``page`` stands for, where a page has two
    paginated tables (``{% query_with page=2 page_param="partners_page" %}``).
    """
    query = context["request"].GET.copy()
    param = changes.pop("page_param", "") or "page"
    for key, value in changes.items():
        query[param if key == "page" else key] = value
    return query.urlencode()


@register.filter
def isodate(value):
    """An ISO 8601 timestamp stored as text (in JSON) as a datetime, for the ``date`` filter."""
    return parse_datetime(value) if isinstance(value, str) else value
