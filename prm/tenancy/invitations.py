"""Invitation e-mails: a link to set a password, built on Django's reset tokens."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _


def set_password_url(user) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.PRM_BASE_URL + path


def send_invitation(*, user, tenant, invited_by) -> None:
    with translation.override(tenant.default_language):
        context = {
            "user": user,
            "tenant": tenant,
            "invited_by": invited_by,
            "url": set_password_url(user),
        }
        send_mail(
            subject=_("You are invited to %(tenant)s's partner programme") % {"tenant": tenant.name},
            message=render_to_string("registration/invitation_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
