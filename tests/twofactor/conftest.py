"""Fixtures of two-factor sign-in: a code of a device as an authenticator app would show it, and a
user who has set two-factor sign-in up (with their recovery codes)."""

import pytest
from django_otp.oath import TOTP, hotp

from prm.twofactor import services
from prm.twofactor.devices import confirmed_authenticator


def code_of(device) -> str:
    """A code of ``device`` it has not taken yet: the one its app shows now, or, when that was taken
    already (a code is taken once), the next period's, which the device's tolerance still accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{hotp(device.bin_key, max(totp.t(), device.last_t + 1), digits=device.digits):0{device.digits}d}"


def wrong_code(code: str) -> str:
    return f"{(int(code) + 500000) % 1000000:06d}"


@pytest.fixture
def enrolled():
    """enrolled(user) -> the user's ten recovery codes, two-factor sign-in set up."""

    def make(user):
        device = services.enrolment_begin(user=user)
        _device, codes = services.enrolment_confirm(user=user, code=code_of(device))
        return codes

    return make


@pytest.fixture
def next_code():
    """next_code(user) -> a code of the user's authenticator not taken yet."""

    def make(user):
        return code_of(confirmed_authenticator(user))

    return make
