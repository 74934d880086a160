"""What API tokens record in the audit trail (in each tenant the token's user is an active member of)."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class ApiTokenAudit(AuditActions):
    ISSUED = "api_token.issued", _("API token issued")
    REVOKED = "api_token.revoked", _("API token revoked")
    EXPIRED = "api_token.expired", _("API token expired")
