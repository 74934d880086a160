"""Errors in the contract's shape: 400 {"field": [...]} or {"detail": "..."}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from prm.jobs.services import QueueUnavailable


def exception_handler(exc, context):

    if isinstance(exc, QueueUnavailable):  # the broker is down: say so, and when to come back
        return Response(
            {"detail": str(exc), "job": exc.job.pk},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        if "detail" in errors:  # the contract's {"detail": "message"}
            errors["detail"] = " ".join(errors["detail"])
        exc = exceptions.ValidationError(errors)
    return drf_exception_handler(exc, context)
