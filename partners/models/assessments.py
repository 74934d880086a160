"""Dated, attributed assessments: selection, strategic review, tier axes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import AssessmentKind
from partners.models.partner import Partner
from prm.tenancy.scoping import TenantOwned


class Assessment(TenantOwned):
    """Ratings 1–5 per criterion, ``{"criterion": {"score": 4, "note": "…"}}``.

    The criteria of each kind are listed in ``partners.lifecycle.criteria``.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    ratings = models.JSONField(_("ratings"), default=dict)
    needs = models.JSONField(_("the candidate's own needs"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["tenant", "kind", "partner", "-date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d} · {self.partner}"

    @property
    def average(self) -> float | None:
        scores = [r["score"] for r in self.ratings.values() if isinstance(r, dict) and "score" in r]
        return round(sum(scores) / len(scores), 2) if scores else None
