"""A partner's request to the vendor and its thread of messages."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.files import TenantPath
from prm.tenancy.scoping import TenantOwned

from .choices import Category, Status


class PartnerRequest(TenantOwned):
    """A request, idea or complaint a partner user raised to its partner's channel manager.

    ``first_due_at`` is when the vendor's first answer is due (the programme's answer time in
    business days or hours after ``raised_at``, fixed when raised); ``first_answered_at`` and
    ``answer_business_days`` record the first answer and how long it took in business days, and
    ``answered_in_time`` whether it came by ``first_due_at``: the figures the scorecards' KPI
    source reads. ``due_at`` is when the vendor's next answer is due while the request is open
    (a partner's reply after an answer opens it again with a new deadline)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="requests", verbose_name=_("partner")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    first_due_at = models.DateTimeField(_("first answer due at"))
    due_at = models.DateTimeField(_("answer due at"))
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    answer_business_days = models.DecimalField(
        _("first answer took (business days)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    answered_in_time = models.BooleanField(_("answered in time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    #: A PDF or an image, stored privately under the tenant (prm/files.py); served only by views
    #: that find the request in the caller's scope first.
    attachment = models.FileField(
        _("attachment"), upload_to=TenantPath("request-files"), max_length=200, blank=True
    )
    attachment_name = models.CharField(_("attachment's file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")
        indexes = [
            models.Index(fields=["tenant", "status", "due_at"], name="conv_request_queue"),
            models.Index(fields=["tenant", "partner", "raised_at"], name="conv_request_partner"),
        ]

    def __str__(self):
        return f"{self.partner}: {self.subject}"

    @property
    def is_overdue(self) -> bool:
        """Waiting for the vendor past its deadline."""
        return self.status == Status.OPEN and self.due_at < timezone.now()


class RequestMessage(TenantOwned):
    """One message of a request's thread: the partner's text when raised, answers and replies."""

    request = models.ForeignKey(
        PartnerRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    #: written by the vendor's side (an answer) rather than the partner's
    from_vendor = models.BooleanField(_("from the vendor"), default=False)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]
