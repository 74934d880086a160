from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class ContestAudit(AuditActions):
    CONTEST_CREATED = "contest.created", _("Contest created")
    CONTEST_CHANGED = "contest.changed", _("Contest changed (its group, measure or prizes)")
    CONTEST_CLOSED = "contest.closed", _("Contest closed and its prizes awarded")
