from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class PreferenceAudit(AuditActions):
    PREFERENCES_STATED = "reward_preference.stated", _("Reward preferences stated")
