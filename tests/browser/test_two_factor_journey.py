"""Journey: a manager sets two-factor sign-in up from the QR page's key, signs out, and signs in
again with a code from the authenticator (computed here from the key the page shows)."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from prm.tenancy.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key ``secret`` (base32, grouped), now or later."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_a_manager_enrols_signs_out_and_signs_in_with_a_code(page, login, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER, username="mia")
    login(page, "mia")

    # when: set up on the profile
    page.goto("/accounts/profile/")
    page.click("text=Set up two-factor sign-in")
    assert page.locator("[data-testid=qr] svg").is_visible()
    secret = page.locator("[data-testid=secret]").inner_text()
    page.fill("#two-factor input[name=code]", code_from(secret))
    page.click("#two-factor button:has-text('Confirm')")

    # then: ten recovery codes, shown once
    assert page.locator("[data-testid=recovery-codes] li").count() == 10

    # when: out and in again
    page.click("details.menu summary")
    page.click("text=Log out")
    login(page, "mia")

    # then: the code is asked before the dashboard
    assert "/accounts/two-factor/verify/" in page.url
    page.goto("/t/alpha/partners/")
    assert "/accounts/two-factor/verify/" in page.url
    page.fill("input[name=code]", code_from(secret, steps_ahead=1))  # the current one was taken
    page.click("button:has-text('Verify')")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/t/alpha/partners/")
    assert page.locator("h1").first.is_visible()
