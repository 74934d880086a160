"""What single sign-on records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class SsoAudit(AuditActions):
    PROVIDER_CREATED = "sso.provider_created", _("Identity provider added")
    PROVIDER_CHANGED = "sso.provider_changed", _("Identity provider changed")
    USER_CREATED = "sso.user_created", _("Account created at first sign-in through an identity provider")
    ACCESS_GRANTED = "sso.access_granted", _("Access given by an identity provider's groups")
    ROLE_CHANGED = "sso.role_changed", _("Role changed by an identity provider's groups")
    ACCESS_REMOVED = "sso.access_removed", _("Access removed: the identity provider maps no group any more")
    SIGNED_IN = "sso.signed_in", _("Signed in through an identity provider")
    REFUSED = "sso.refused", _("Sign-in through an identity provider refused")
