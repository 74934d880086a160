"""``manage.py worker_health``: are workers answering, and how long are the queues?

Sends a Celery ping (to every worker, or with ``--this-host`` to the worker of this host only, as
a container's health check does) and reads each queue's length from Redis. Prints JSON; exits 0
when at least one worker answered, 1 when none did or the broker cannot be reached. With
``--max-queue N`` it also exits 1 while any queue holds more than N tasks.
"""

from __future__ import annotations

import json
import socket
import time

from django.core.management.base import BaseCommand

from prm.celery import app

from ... import queues


class Command(BaseCommand):
    help = "Ping the Celery workers and report each queue's length (JSON); exit 1 if none answers."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for answers")
        parser.add_argument(
            "--this-host",
            action="store_true",
            help="ping only the worker of this host (celery@<hostname>), for a container's health check",
        )
        parser.add_argument("--destination", action="append", help="a worker's name; may repeat")
        parser.add_argument("--max-queue", type=int, default=None, help="fail when a queue is longer")

    def handle(self, *args, timeout, this_host, destination, max_queue, **options):
        if this_host:
            destination = [f"celery@{socket.gethostname()}"]
        report = {"ok": False, "workers": [], "queues": {}}
        started = time.perf_counter()
        try:
            answers = app.control.ping(destination=destination, timeout=timeout) or []
            report["workers"] = sorted(name for answer in answers for name in answer)
            report["queues"] = queues.queue_lengths()
        except Exception as exc:  # the broker is down: say which kind of error, nothing more
            report["error"] = type(exc).__name__
        report["ms"] = round((time.perf_counter() - started) * 1000, 1)
        report["ok"] = bool(report["workers"]) and "error" not in report
        if max_queue is not None and any(n > max_queue for n in report["queues"].values()):
            report["ok"] = False
            report["error"] = "queue longer than --max-queue"
        self.stdout.write(json.dumps(report))
        if not report["ok"]:
            raise SystemExit(1)
