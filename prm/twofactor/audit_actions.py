"""What two-factor sign-in records in the audit trail (in every tenant the user belongs to)."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class TwoFactorAudit(AuditActions):
    ENROLLED = "twofactor.enrolled", _("Two-factor sign-in set up")
    DISABLED = "twofactor.disabled", _("Two-factor sign-in turned off")
    RECOVERY_CODE_USED = "twofactor.recovery_code_used", _("Recovery code used to sign in")
    RECOVERY_CODES_REGENERATED = "twofactor.recovery_codes_regenerated", _("Recovery codes replaced")
    POLICY_CHANGED = "twofactor.policy_changed", _("Two-factor requirement for staff changed")
