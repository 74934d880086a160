from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class SurveyAudit(AuditActions):
    PARTNER_SURVEY_CREATED = "partner_survey.created", _("Partner survey created")
    PARTNER_SURVEY_SENT = "partner_survey.sent", _("Partner survey sent to the partners' people")
