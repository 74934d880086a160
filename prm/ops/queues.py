"""How many tasks wait in each Celery queue (Redis lists), and whether the broker answers.

Kombu keeps a queue as one Redis list per priority step (``default``, ``default\\x06\\x163``, …);
a queue's length is their sum. Read at the moment it is asked (a health check, a metrics scrape, the
worker health command): nothing is kept per process, so every process gives the same numbers.
"""

from __future__ import annotations

import functools

import redis
from django.conf import settings

#: kombu's Redis transport: the separator of a queue and its priority, and the priority steps
SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (0, 3, 6, 9)
TIMEOUT_SECONDS = 2


def queue_names() -> list[str]:
    return [settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_PDF_QUEUE]


def broker_configured() -> bool:
    """False without a broker (the demo runs tasks eagerly in the web process)."""
    return bool(settings.REDIS_URL) and settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)


def client() -> redis.Redis:
    return _client(settings.CELERY_BROKER_URL)


def keys_of(queue: str) -> list[str]:
    return [queue if step == 0 else f"{queue}{SEPARATOR}{step}" for step in PRIORITY_STEPS]


def queue_lengths() -> dict[str, int]:
    """``{queue: tasks waiting}`` for the project's queues; raises when Redis cannot be reached."""
    pipe = client().pipeline(transaction=False)
    names = queue_names()
    for name in names:
        for key in keys_of(name):
            pipe.llen(key)
    counts = pipe.execute()
    steps = len(PRIORITY_STEPS)
    return {name: sum(counts[i * steps : (i + 1) * steps]) for i, name in enumerate(names)}
