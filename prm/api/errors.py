"""Errors in the contract's shape: 400 {"field": [...]} or {"detail": "..."}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        if "detail" in errors:  # the contract's {"detail": "message"}
            errors["detail"] = " ".join(errors["detail"])
        exc = exceptions.ValidationError(errors)
    return drf_exception_handler(exc, context)
