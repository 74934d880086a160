"""Where Prometheus reads the metrics: ``/metrics`` on the web port with a token, and a port of its
own in each worker.

- **Web**: ``GET /metrics`` with ``Authorization: Bearer <PRM_METRICS_TOKEN>``. Without the setting
  the route answers 404 (metrics are not served on the public port); a wrong or missing token
  answers 401. With ``PROMETHEUS_MULTIPROC_DIR`` it adds up every gunicorn worker of the container.
- **Workers**: with ``PRM_METRICS_PORT`` set, a Celery worker's main process serves the metrics of
  its pool's processes on that port (plain HTTP, no token: keep the port off the public network;
  the compose file publishes none). With ``PROMETHEUS_MULTIPROC_DIR`` it adds up its children.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest, start_http_server

from . import metrics

logger = logging.getLogger(__name__)


def metrics_view(request):
    token = getattr(settings, "PRM_METRICS_TOKEN", "")
    if not token:
        return JsonResponse({"detail": "Not found."}, status=404)
    given = request.headers.get("Authorization", "").encode()
    if not hmac.compare_digest(given, f"Bearer {token}".encode()):
        response = JsonResponse({"detail": "A valid metrics token is required."}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(generate_latest(metrics.registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def start_worker_exporter(**kwargs) -> None:
    """Celery's ``worker_init`` (the main process, before the pool forks): the metrics port, when
    ``PRM_METRICS_PORT`` is set. (The multiprocess folder must be empty when the worker starts: a
    fresh folder of the container, as the compose file's tmpfs gives; it is not emptied here, where
    this process has written to it already.)"""
    port = getattr(settings, "PRM_METRICS_PORT", 0)
    if port:
        start_http_server(
            port, addr=getattr(settings, "PRM_METRICS_ADDR", "0.0.0.0"), registry=metrics.registry()
        )
        logger.info("worker metrics served on port %s", port)
