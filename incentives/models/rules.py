"""Incentive rules. Editing an active rule makes a new version; runs keep the version they used."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned

from ..choices import RuleKind


class IncentiveRule(TenantOwned):
    #: Stable across versions; ``version`` counts the edits.
    key = models.UUIDField(_("rule"), default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    #: Kind-specific parameters, validated by ``incentives.rules.clean_params``.
    params = models.JSONField(_("parameters"), default=dict)
    tiers = models.JSONField(_("only tiers"), default=list, blank=True)
    stages = models.JSONField(_("only stages"), default=list, blank=True)
    regions = models.JSONField(_("only regions"), default=list, blank=True)
    products = models.JSONField(_("only products"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "-version"]
        verbose_name = _("incentive rule")
        verbose_name_plural = _("incentive rules")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key", "version"], name="rule_version_unique"),
            models.UniqueConstraint(
                fields=["tenant", "key"], condition=models.Q(is_current=True), name="rule_one_current_version"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"
