"""Outbound webhooks: endpoints a tenant's admins register, the events (an outbox written in the
same transaction as the change) and one delivery per event and endpoint, retried until it lands."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class Endpoint(TenantOwned):
    url = models.URLField(_("URL"), max_length=500)
    #: event names, or ["*"] for every event
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    #: the HMAC key; shown once, when the endpoint is created
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url

    def wants(self, event: str) -> bool:
        return self.active and ("*" in self.events or event in self.events)


class Event(TenantOwned):
    """One thing that happened, as sent: ``{"id", "event", "tenant", "created_at", "data"}``."""

    uid = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("event"), max_length=60, db_index=True)
    data = models.JSONField(_("data"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self):
        return f"{self.name} {self.uid}"


class Delivery(TenantOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Gave up")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    #: the first 200 characters of the receiver's answer, or the error (services.excerpt)
    response = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["tenant", "endpoint", "-id"], name="webhook_delivery_list"),
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.status})"
