"""The request id, the request and the job of the moment, for every log line (``logs``).

A request's id comes from a sane incoming ``X-Request-ID`` or is made here; it goes back in the
answer's header, onto the request (``request.request_id``, for the error pages) and with every task
the request sends (``receivers``), so a user's report finds the lines of the request and of its jobs.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

HEADER = "X-Request-ID"
#: What an incoming request id may look like: what proxies and load balancers send (a UUID, a hex
#: or base64 token, a trace id), short and printable, nothing that could forge a log line.
SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+/=-]{7,127}$")


@dataclass
class Context:
    request_id: str | None = None
    request: object | None = None
    job_id: int | None = None
    task: str | None = None
    task_id: str | None = None
    #: the tenant the request or task last worked in (kept for its closing line, after the scope)
    tenant_id: int | None = None
    #: the database's time and statements so far in this request or task (``receivers``)
    db_seconds: float = 0.0
    db_queries: int = 0


_context: ContextVar[Context | None] = ContextVar("prm_ops_context", default=None)


def current() -> Context:
    return _context.get() or Context()


def request_id_from(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new one."""
    if incoming and SANE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


@contextlib.contextmanager
def bound(**values):
    """Run the block with these values (``Context`` fields) on its log lines."""
    token = _context.set(Context(**values))
    try:
        yield
    finally:
        _context.reset(token)


def bind(**values):
    """Set these values for the rest of the current context (a task's, a request's); returns the
    token for ``unbind``."""
    return _context.set(Context(**values))


def unbind(token) -> None:
    _context.reset(token)
