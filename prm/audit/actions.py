"""What the audit trail calls each action: one enumeration per app, registered here.

An app declares its actions as ``AuditActions`` (the stable code stored in
the trail, and the words people read) in its ``audit_actions.py`` and lists
it in its plugs module (``audit_actions = [PartnerAudit]``, see ``prm.plugs``);
``audit_record`` refuses a code no app registered, so a typo fails where it is
written, not in the trail.
"""

from django.db import models

_labels: dict[str, object] = {}


class AuditActions(models.TextChoices):
    """Base of each app's enumeration of audit actions (``"<thing>.<what happened>"``)."""


def register_actions(actions: type[AuditActions]) -> None:
    """Add an app's enumeration; ``prm.plugs`` calls it for each ``audit_actions`` entry."""
    for member in actions:
        _labels[member.value] = member.label


def is_registered(action: str) -> bool:
    return action in _labels


def registered() -> dict[str, str]:
    """Every known code and its words (the audit page's filter offers them)."""
    return {code: str(label) for code, label in sorted(_labels.items())}


def label(action: str) -> str:
    """The action in words (the code itself, made readable, for one no longer registered)."""
    return str(_labels.get(action) or action.replace("_", " ").replace(".", ": ").capitalize())
