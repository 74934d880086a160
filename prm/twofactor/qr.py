"""The authenticator's provisioning QR code, as inline SVG (no script, no style: the CSP allows it)."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe


def provisioning_svg(device) -> str:
    """The QR code of the device's ``otpauth://`` URL, as an ``<svg>`` element safe to inline."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (made here from our own URL)


def manual_secret(device) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator app."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
