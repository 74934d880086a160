"""Serializer fields shared by the apps' APIs."""

import decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework import serializers

from prm.periods import parse_period


class PrivateFileField(serializers.FileField):
    """A stored file: written as an upload, read as the URL of the endpoint that streams it.

    The storage's own location is never handed out: the endpoint
    (``url_name``, e.g. ``agreement-document``) checks the row first.
    """

    def __init__(self, *, url_name: str, **kwargs):
        self.url_name = url_name
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return None
        path = reverse(
            f"api:{self.url_name}", kwargs={"tenant": self.context["tenant"].slug, "pk": value.instance.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PeriodField(serializers.CharField):
    """``2026-07`` or ``2026-Q3``, normalised."""

    def to_internal_value(self, data):

        try:
            return parse_period(super().to_internal_value(data)).code
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["period"]) from exc


# --- representations built by hand ------------------------------------------------------------
# A list serializer that builds each row's dict itself (the partner and sale lists) answers what
# DRF's fields would; these are those fields' answers for the values a model holds.


def datetime_text(value, zone) -> str | None:
    """DRF's ``DateTimeField`` answer: ISO 8601 in ``zone`` (the current time zone, read once per
    request by the caller), UTC written as ``Z``; None for no value."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def date_text(value) -> str | None:
    """DRF's ``DateField`` answer: ISO 8601; None for no value."""
    return value.isoformat() if value else None


def decimal_text(value, model_field) -> str:
    """DRF's ``DecimalField`` answer for a model's ``DecimalField`` with ``COERCE_DECIMAL_TO_STRING``
    (the API's setting): the value quantized to the field's places, as a string; empty for none."""
    if value is None:
        return ""
    if not isinstance(value, decimal.Decimal):
        value = decimal.Decimal(str(value).strip())
    context = decimal.getcontext().copy()
    context.prec = model_field.max_digits
    return f"{value.quantize(decimal.Decimal('.1') ** model_field.decimal_places, context=context):f}"
