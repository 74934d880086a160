"""Errors in the contract's shape: 400 {"field": [...]} or {"detail": "..."}.

The database's own failures stay in that shape too: a lost connection is a 503 with
``Retry-After``, a refusal by a constraint or trigger (an approved payout run never changes,
raised with ``ERRCODE = 'restrict_violation'``) a 409.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, InternalError, OperationalError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from prm.jobs.services import QueueUnavailable

DATABASE_RETRY_AFTER = 30  # seconds
RAISED_BY_PLPGSQL = "P0001"  # RAISE EXCEPTION without an ERRCODE of its own


def database_error(exc) -> tuple[str, int, dict] | None:
    """The ``{"detail"}``, status and headers for a database error, or None when it is not one."""

    if isinstance(exc, IntegrityError) or (
        isinstance(exc, InternalError) and getattr(exc.__cause__, "sqlstate", None) == RAISED_BY_PLPGSQL
    ):
        return (
            _("The database refused this change: it conflicts with the current state. Reload and try again."),
            status.HTTP_409_CONFLICT,
            {},
        )
    if isinstance(exc, (OperationalError, InterfaceError)):
        return (
            _("The database cannot be reached just now. Try again in a moment."),
            status.HTTP_503_SERVICE_UNAVAILABLE,
            {"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    return None


def exception_handler(exc, context):

    if isinstance(exc, QueueUnavailable):  # the broker is down: say so, and when to come back
        return Response(
            {"detail": str(exc), "job": exc.job.pk},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if mapped := database_error(exc):
        detail, code, headers = mapped
        set_rollback()
        return Response({"detail": detail}, status=code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        if "detail" in errors:  # the contract's {"detail": "message"}
            errors["detail"] = " ".join(errors["detail"])
        exc = exceptions.ValidationError(errors)
    return drf_exception_handler(exc, context)
