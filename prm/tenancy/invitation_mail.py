"""The invitation e-mail: who invites, to which tenant and role, and the link to accept or decline.

It leaves through the project's mail path (``prm.notifications.mail``: after the commit, through
a worker) in the tenant's language. The link carries the token's secret; the database keeps only
its hash, so this message is the one place the link exists.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def acceptance_url(token: str) -> str:
    return settings.PRM_BASE_URL + reverse("invitation", kwargs={"token": token})


def send_invitation(*, invitation, token: str) -> None:
    """Mail ``invitation`` with the link for ``token`` (call it once the invitation is committed)."""
    tenant = invitation.tenant
    with translation.override(tenant.default_language):
        context = {
            "invitation": invitation,
            "tenant": tenant,
            "invited_by": invitation.invited_by,
            "role": invitation.get_role_display(),
            "url": acceptance_url(token),
        }
        message = EmailMessage(
            subject=_("You are invited to %(tenant)s's partner programme") % {"tenant": tenant.name},
            body=render_to_string("registration/invitation_email.txt", context),
            to=[invitation.email],
        )
    message.prm_tenant_id = tenant.pk  # the mail store keeps it among the tenant's sent mail
    message.prm_kind = "invitations"
    message.send()
