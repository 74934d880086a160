"""A NUL character in a query string is refused with 400 before any view reads it.

No field of the product holds one and PostgreSQL refuses one in a query, so a view that reads a
parameter straight into a filter (a report's region, a list's kind) would answer 500. Django's
forms and django-filter refuse it with the same words; this refuses it everywhere, pages and API.
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponseBadRequest, JsonResponse


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            message = str(ProhibitNullCharactersValidator.message)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
