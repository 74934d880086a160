"""List pagination of the API contract: count/next/previous/results, page_size up to 200."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LargeTablePagination(CursorPagination):
    """For tables that grow without bound (sales, payout lines): no COUNT(*), no deep OFFSET."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
