"""Where a webhook may be sent: public addresses only, unless the operator allows private networks."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s) or resolves to a loopback, private, link-local or reserved address.

    ``WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`` lifts the address check (on-premises receivers, tests).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": [_("Use an http or https URL.")]})
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            {"url": [_("The host %(h)s does not resolve.") % {"h": parts.hostname}]}
        ) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                {
                    "url": [
                        _(
                            "%(h)s resolves to a private or local address (%(a)s); webhooks go to public addresses."
                        )
                        % {"h": parts.hostname, "a": address}
                    ]
                }
            )
