"""Visits, calls and meetings with a partner, the objections raised, and the playbook."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import ObjectionType, VisitKind
from partners.models.partner import Partner
from prm.tenancy.scoping import TenantOwned


class Visit(TenantOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices, default=VisitKind.VISIT)
    summary = models.TextField(_("summary"))
    goal_met = models.BooleanField(_("goal met"), default=False)
    next_step = models.TextField(_("next step"), blank=True)
    make_target = models.BooleanField(_("make it a target partner"), default=False)
    #: the playbook's script: ``{step: {"done": bool, "note": str}}`` (``partners.visiting.script.STEPS``)
    script = models.JSONField(_("the script's steps"), default=dict, db_default={}, blank=True)
    #: the partner's four concerns rated 1–5: ``{"money", "easy", "safe", "sound"}``
    concerns = models.JSONField(_("the partner's concerns"), default=dict, db_default={}, blank=True)
    missed_why = models.TextField(_("why the goal was not reached"), blank=True, default="", db_default="")
    stopped_at = models.CharField(
        _("the step where it stopped"), max_length=20, blank=True, default="", db_default=""
    )
    agreed_points = models.TextField(
        _("agreed points (senior-leadership meeting)"), blank=True, default="", db_default=""
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        # each partner's first visit (the team report's new candidates), read from the index alone
        indexes = [models.Index(fields=["tenant", "partner", "date", "logged_by"], name="visit_partner_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d} · {self.partner}"


class Objection(TenantOwned):
    """An objection raised in a visit: a sign of interest, not a refusal."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="objections")
    type = models.CharField(_("type"), max_length=20, choices=ObjectionType.choices)
    note = models.TextField(_("what was said"), blank=True)
    step = models.CharField(_("raised at the step"), max_length=20, blank=True, default="", db_default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return self.get_type_display()


class ObjectionResponse(TenantOwned):
    """The tenant's recommended line of response to one objection type (its playbook)."""

    type = models.CharField(_("type"), max_length=20, choices=ObjectionType.choices)
    response = models.TextField(_("recommended response"))

    class Meta:
        ordering = ["type"]
        verbose_name = _("playbook response")
        verbose_name_plural = _("playbook responses")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "type"], name="playbook_one_per_type"),
        ]

    def __str__(self):
        return self.get_type_display()
