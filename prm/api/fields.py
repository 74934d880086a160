"""Serializer fields shared by the apps' APIs."""

from django.urls import reverse
from rest_framework import serializers


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
        from django.core.exceptions import ValidationError

        from prm.periods import parse_period

        try:
            return parse_period(super().to_internal_value(data)).code
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["period"]) from exc
