"""The first middleware: answers the probes, and tags every other request with its id.

Placed first in ``MIDDLEWARE``, it

- answers ``/healthz`` and ``/readyz`` (``health``) and ``/metrics`` (``metrics``) itself, before
  the host check, the HTTPS redirect, sessions or authentication, so a probe inside the container
  works with plain HTTP and any ``Host``;
- gives every other request its id (a sane incoming ``X-Request-ID``, else a new one), puts it on
  ``request.request_id`` (error pages show it) and on every log line of the request, and returns it
  in the ``X-Request-ID`` header;
- counts every other request by route, method and status, with its time (``metrics``);
- writes one access line a request (``prm.request``: method, path, route, status, time, database
  time), the path with any token of a link (password reset, invitation) masked, never the query
  string.
"""

from __future__ import annotations

import logging
import time

from . import context, exposition, health, metrics

logger = logging.getLogger("prm.request")

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
#: URL arguments that carry a secret of a link (password reset, invitation): masked in the log
SECRET_ARGUMENTS = ("token", "uidb64", "key", "secret", "signature")


def logged_path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if any(word in name for word in SECRET_ARGUMENTS) and isinstance(value, str) and value:
            path = path.replace(value, "[redacted]")
    return path


def route_of(request) -> str:
    """The route that answered (``t/<slug:tenant>/partners/<int:pk>/``), or ``<unmatched>``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return "/" + (match.route or "")


class OpsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.probes = {
            "/healthz": health.healthz,
            "/readyz": health.readyz,
            "/metrics": exposition.metrics_view,
        }

    def __call__(self, request):
        request.request_id = context.request_id_from(request.headers.get(context.HEADER))
        token = context.bind(request_id=request.request_id, request=request)
        try:
            probe = self.probes.get(request.path_info)
            if probe is not None:
                response = probe(request)
            else:
                response = self.served(request)
            response[context.HEADER] = request.request_id
            return response
        finally:
            context.unbind(token)

    def served(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        method = request.method if request.method in METHODS else "other"
        metrics.request_answered(route_of(request), method, response.status_code, seconds)
        ctx = context.current()
        logger.info(
            "%s %s %s",
            request.method,
            logged_path(request),
            response.status_code,
            extra={
                "method": request.method,
                "path": logged_path(request),
                "route": route_of(request),
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "db_ms": round(ctx.db_seconds * 1000, 1),
                "db_queries": ctx.db_queries,
            },
        )
        return response
