"""Where a webhook may be sent: public addresses only, unless the operator allows private networks.

A delivery resolves the host once (``resolve``), checks every address it got and connects to the
first of them (services pins the connection to it): a name that resolves elsewhere a moment later
(DNS rebinding) cannot reach a private address."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: IPv6 ranges that carry an IPv4 address (NAT64, mapped, compatible, 6to4, Teredo): refused whole,
#: whatever the IPv4 address inside says
EMBEDDED_IPV4 = tuple(
    ipaddress.ip_network(net)
    for net in ("64:ff9b::/96", "64:ff9b:1::/48", "::ffff:0:0/96", "::/96", "2002::/16", "2001::/32")
)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def refused(address: Address) -> bool:
    """True for any address a webhook may not reach: not global, multicast, or IPv4 inside IPv6."""
    if address.version == 6 and any(address in net for net in EMBEDDED_IPV4):
        return True
    return not address.is_global or address.is_multicast


def _parts(url: str) -> SplitResult:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        parts = parts._replace(scheme="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": [_("Use an http or https URL.")]})
    return parts


def port_of(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def resolve(url: str) -> tuple[SplitResult, list[Address]]:
    """The URL's parts and every address its host resolves to, each checked (unless
    ``WEBHOOK_ALLOW_PRIVATE_NETWORKS``); connect to these, never to the name again."""
    parts = _parts(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port_of(parts), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            {"url": [_("The host %(h)s does not resolve.") % {"h": parts.hostname}]}
        ) from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
    if not addresses:
        raise ValidationError({"url": [_("The host %(h)s does not resolve.") % {"h": parts.hostname}]})
    if not settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        for address in addresses:
            if refused(address):
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
    return parts, addresses


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s) or resolves to any address ``refused`` names.

    ``WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`` lifts the address check (on-premises receivers, tests).
    """
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        _parts(url)
        return
    resolve(url)
