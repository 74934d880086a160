"""What onboarding/ records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class OnboardingAudit(AuditActions):
    AGREEMENT_SIGNED = "agreement.signed", _("Agreement signed")
    TEMPLATE_PUBLISHED = "agreement_template.published", _("Agreement version published")
    STEP_ADDED = "checklist.step_added", _("Onboarding step added")
    STEP_DONE = "checklist.step_done", _("Onboarding step ticked")
    ANNOUNCEMENT_PUBLISHED = "announcement.published", _("Announcement published")
    APPLICATION_REVIEWED = "application.reviewed", _("Application's unlisted answer settled")
