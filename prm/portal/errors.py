"""The error pages: 403, 404 and 500 in the portal's frame, in the reader's language.

Each says what happened and where to go from here (the tenant's dashboard, one's programmes, the
login page, the page one came from). Under ``/api/`` the same errors answer JSON in the API's
shape (``{"detail": "..."}``), whatever raised them: a path no route matches, a view that failed.
"""

import logging
import sys

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rest_framework import exceptions

from prm.api.errors import database_error

logger = logging.getLogger("prm.errors")

API_PREFIX = "/api/"


def not_found(request, exception=None):
    """Django's 404: a path no route matches, or an object the caller may not see."""
    if _is_api(request):
        return _json(exceptions.NotFound.default_detail, 404)
    return render(request, "404.html", _context(request, 404), status=404)


def forbidden(request, exception=None):
    """Django's 403: the caller's role does not hold what the page or action needs."""
    if _is_api(request):
        return _json(exceptions.PermissionDenied.default_detail, 403)
    return render(request, "403.html", _context(request, 403), status=403)


def server_error(request):
    """Django's 500. The branded page needs the database for its menu; when that fails too (the
    database may be why we are here), the same page is drawn without it."""
    if _is_api(request):
        # raised outside a DRF view (a middleware's query, the commit): the database's failures
        # answer as the API's own handler would, anything else a 500, all in JSON
        if mapped := database_error(sys.exc_info()[1]):
            detail, status, headers = mapped
            return _json(detail, status, headers)
        return _json(exceptions.APIException.default_detail, 500)
    try:
        return render(request, "500.html", _context(request, 500), status=500)
    except Exception:
        logger.exception("the 500 page could not be drawn in the portal's frame")
    try:
        return HttpResponseServerError(loader.get_template("500.html").render({"status": 500}))
    except Exception:
        logger.exception("the 500 page could not be drawn")
        return HttpResponseServerError(_("Server error. Please try again in a moment."))


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(detail, status: int, headers: dict | None = None) -> JsonResponse:
    return JsonResponse({"detail": str(detail)}, status=status, headers=headers)


def _context(request, status: int) -> dict:
    return {"status": status, "back": _came_from(request)}


def _came_from(request) -> str | None:
    """The page the reader followed a link from, when it is one of ours and not this one."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or referer.endswith(request.get_full_path()):
        return None
    try:
        host = request.get_host()
    except Exception:  # a host not in ALLOWED_HOSTS: no link back to it
        return None
    return referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={host}) else None
