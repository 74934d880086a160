"""Log lines that tell a story: every line carries the request id, the tenant, the user and the job.

``ContextFilter`` (on the handler, so it sees every line, whichever logger wrote it) adds
``request_id``, ``tenant_id``, ``user_id``, ``job_id`` and ``task`` from the context of the moment
(``prm.ops.context``, ``prm.tenancy.context``). ``JsonFormatter`` (python-json-logger) writes one
JSON object a line, the production default (``LOG_FORMAT=json``); ``TextFormatter`` writes the
same as a plain line for a developer's terminal (``LOG_FORMAT=text``, the default with ``DEBUG``).

Both formatters remove personal data and secrets from what they write, whatever a caller put in a
message, an argument or an exception: e-mail addresses, API tokens (40 hex digits) and anything
written as ``password=…``, ``token: …``, ``secret=…``, ``Authorization: …``. Users are logged by id,
never by name or address; a request's query string is never logged (``middleware``).
"""

from __future__ import annotations

import logging
import logging.config
import re

from django.conf import settings
from django.utils.functional import LazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from prm.tenancy.context import current_tenant_id, current_user_id

from . import context

FIELDS = ("request_id", "tenant_id", "user_id", "job_id", "task")

EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
TOKEN = re.compile(r"(?<![0-9A-Fa-f])[0-9a-f]{40}(?![0-9A-Fa-f])")
SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b(password|passwd|secret|token|api[_-]?key|authorization|sessionid|csrftoken)"
    r"(\\?[\"']?\s*[=:]\s*\\?[\"']?)(?:(?:Token|Bearer|Basic)\s+)?[^\s\"'&,;\\]+"
)


def redact(text: str) -> str:
    """``text`` with e-mail addresses, API tokens and assigned secrets replaced by markers."""
    text = EMAIL.sub("[email]", text)
    text = TOKEN.sub("[token]", text)
    return SECRET_ASSIGNMENT.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)


def _user_id(request) -> int | None:
    """The request's user id, if the request already knows its user (never a query from a log line)."""
    user = getattr(request, "__dict__", {}).get("user") if request is not None else None
    if isinstance(user, LazyObject):
        user = user._wrapped
        if user is empty:
            return None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class ContextFilter(logging.Filter):
    """Adds the ids of the moment to every record (``FIELDS``); a record's own values stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        # Django's closing line of a request (``django.request``) comes after the middleware: it
        # carries the request itself
        request = getattr(record, "request", None) or ctx.request
        values = {
            "request_id": ctx.request_id or getattr(request, "request_id", None),
            "tenant_id": current_tenant_id() or ctx.tenant_id,
            "user_id": _user_id(request) or current_user_id(),
            "job_id": ctx.job_id,
            "task": ctx.task,
        }
        for name, value in values.items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time, level, logger, message, the context's ids, any ``extra``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        # Django adds the request object to some records (its text carries the query string), and
        # Celery a task's arguments (an e-mail's body, with its links): neither is written
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time", "data"])
        kwargs.setdefault("timestamp", "time")  # ISO 8601, UTC
        super().__init__(
            "%(levelname)s %(name)s %(message)s " + " ".join(f"%({name})s" for name in FIELDS),
            *args[1:],
            **kwargs,
        )

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class TextFormatter(logging.Formatter):
    """The same line for a person: ``time level logger [ids] message``."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s "
            "[req=%(request_id)s tenant=%(tenant_id)s user=%(user_id)s job=%(job_id)s] %(message)s"
        )

    def format(self, record: logging.LogRecord) -> str:
        for name in FIELDS:
            if not hasattr(record, name):
                setattr(record, name, None)
        return redact(super().format(record))


def config(*, fmt: str = "json", level: str = "INFO") -> dict:
    """The ``LOGGING`` setting: every line to standard error (commands keep standard output for what
    they print), in ``fmt`` (``json`` or ``text``)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "prm.ops.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "prm.ops.logs.JsonFormatter"},
            "text": {"()": "prm.ops.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json" if fmt == "json" else "text",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (mail to admins, the console in DEBUG) give way to ours
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "level": level, "propagate": True},
            "django.db.backends": {"level": "INFO"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


def configure(logging_settings: dict) -> None:
    """``LOGGING_CONFIG``: ``config`` in ``LOG_FORMAT``, with the root level and each logger's level
    of ``LOGGING`` (the Celery processes call it too, ``receivers``)."""
    level = logging_settings.get("root", {}).get("level", "INFO")
    conf = config(fmt=getattr(settings, "LOG_FORMAT", "json"), level=level)
    for name, logger in logging_settings.get("loggers", {}).items():
        if "level" in logger:
            conf["loggers"].setdefault(name, {})["level"] = logger["level"]
    logging.config.dictConfig(conf)
