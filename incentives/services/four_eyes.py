"""Four eyes over every cent of a payout run: who changed what a run pays may not approve it.

The people who changed a draft run's money are:

- everyone who added an adjustment to it (its lines' authors and the audit trail's
  ``payout_run.adjusted`` entries, so that a colleague's later correction never clears the
  earlier author);
- everyone who wrote a version of a rule the run pays that no approved run has paid yet: the paid
  version, the versions between the last approved one and it, and any later (current) version.
  A colleague's later edit of the same rule does not clear the earlier editor, whose change the
  later version carries.

None of them may approve the run, nor acknowledge the warning its adjustments raise; admins
included. Everything is read in a handful of queries whatever the size of the run.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from prm.audit.models import AuditEntry

from ..audit_actions import IncentiveAudit
from ..choices import RunStatus
from ..models import IncentiveRule, PayoutLine

ADJUSTMENT = "adjustment"


def adjusters(run) -> set[int]:
    """The users who added or changed an adjustment of ``run``."""
    authors = set(
        PayoutLine.objects.for_tenant(run.tenant_id)
        .filter(run=run, kind=ADJUSTMENT, created_by__isnull=False)
        .values_list("created_by_id", flat=True)
    )
    audited = AuditEntry.objects.for_tenant(run.tenant_id).filter(
        action=IncentiveAudit.RUN_ADJUSTED,
        target_type="incentives.payoutrun",
        target_id=str(run.pk),
        actor__isnull=False,
    )
    return authors | set(audited.values_list("actor_id", flat=True))


def rule_editors(run) -> set[int]:
    """The users who wrote a not-yet-approved version of a rule that ``run`` pays."""
    tenant_id = run.tenant_id
    paid = PayoutLine.objects.for_tenant(tenant_id).filter(run=run, rule__isnull=False)
    keys = set(
        IncentiveRule.objects.for_tenant(tenant_id)
        .filter(pk__in=paid.values("rule_id"))
        .values_list("key", flat=True)
    )
    if not keys:
        return set()
    approved_elsewhere = (
        PayoutLine.objects.for_tenant(tenant_id)
        .filter(rule_id=OuterRef("pk"))
        .exclude(run__status=RunStatus.DRAFT)
    )
    versions = list(
        IncentiveRule.objects.for_tenant(tenant_id)
        .filter(key__in=keys)
        .annotate(approved=Exists(approved_elsewhere))
        .values_list("key", "version", "approved", "edited_by_id")
    )
    last_approved = {}
    for key, version, approved, _editor in versions:
        if approved:
            last_approved[key] = max(version, last_approved.get(key, 0))
    return {
        editor
        for key, version, _approved, editor in versions
        if editor is not None and version > last_approved.get(key, 0)
    }


def changers(run) -> set[int]:
    """Everyone whose change ``run`` pays (see the module's docstring)."""
    return adjusters(run) | rule_editors(run)


def refuse_own_changes(run, actor) -> None:
    """Refuse ``actor`` approving ``run`` when it changed what the run pays."""
    if actor.pk in adjusters(run):
        raise ValidationError(
            {"detail": [_("You adjusted this run; someone else must check and approve it.")]}
        )
    if actor.pk in rule_editors(run):
        raise ValidationError(
            {"detail": [_("You edited a rule this run pays; someone else must approve it.")]}
        )
