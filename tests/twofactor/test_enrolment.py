"""Setting two-factor sign-in up on the profile: QR code and key, a right code confirms, ten
recovery codes shown once; new codes void the old; turning it off needs a code and is refused
while a tenant requires it of its staff."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.twofactor import services
from prm.twofactor.devices import has_two_factor, pending_authenticator

from .conftest import code_of, wrong_code

pytestmark = pytest.mark.django_db


def _actions(tenant):
    with tenant_context(tenant):
        return list(AuditEntry.objects.for_tenant(tenant).values_list("action", flat=True))


def test_the_profile_shows_a_qr_code_and_the_key_to_type(web, tenant, member):
    # given
    client = web(member(tenant, Role.FINANCE))

    # when
    start = client.post("/accounts/two-factor/setup/")
    page = client.get("/accounts/profile/")

    # then: an inline SVG QR code (no script, no style) and the base32 key in groups
    assert start.status_code == 302
    body = page.content.decode()
    assert '<svg width="' in body and "<script" not in body.split('data-testid="qr"')[1].split("</div>")[0]
    assert re.search(r'data-testid="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<', body)


def test_only_a_right_code_confirms_and_ten_recovery_codes_are_shown_once(web, tenant, member):
    # given
    user = member(tenant, Role.CHANNEL_MANAGER)
    client = web(user)
    client.post("/accounts/two-factor/setup/")
    device = pending_authenticator(user)

    # when
    wrong = client.post("/accounts/two-factor/confirm/", {"code": wrong_code(code_of(device))})
    still_off = has_two_factor(user)
    device.throttle_reset()  # (the wrong code's back-off is tested in test_verify)
    right = client.post("/accounts/two-factor/confirm/", {"code": code_of(device)})

    # then
    assert wrong.status_code == 400 and "That code is not right." in wrong.content.decode()
    assert still_off is False
    assert right.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", right.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert has_two_factor(user)
    assert "twofactor.enrolled" in _actions(tenant)
    # shown once: the profile says how many are left, never the codes
    profile = client.get("/accounts/profile/").content.decode()
    assert "10 recovery codes left." in profile and codes[0] not in profile


def test_new_recovery_codes_void_the_old_ones(web, tenant, member, enrolled, next_code):
    # given
    user = member(tenant, Role.ADMIN)
    old = enrolled(user)
    client = web(user)
    client.post("/accounts/two-factor/verify/", {"code": next_code(user)})

    # when
    page = client.post("/accounts/two-factor/recovery-codes/")

    # then
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert page.status_code == 200 and len(new) == 10
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(old)
    assert "twofactor.recovery_codes_regenerated" in _actions(tenant)


def test_turning_it_off_needs_a_right_code(web, tenant, member, enrolled, next_code):
    # given
    user = member(tenant, Role.FINANCE)
    enrolled(user)
    client = web(user)
    client.post("/accounts/two-factor/verify/", {"code": next_code(user)})

    # when
    wrong = client.post("/accounts/two-factor/disable/", {"code": wrong_code(next_code(user))})
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post("/accounts/two-factor/disable/", {"code": next_code(user)})

    # then
    assert wrong.status_code == 400
    assert right.status_code == 302 and not has_two_factor(user)
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert "twofactor.disabled" in _actions(tenant)
    assert client.get("/t/alpha/").status_code == 200  # no code asked any more


def test_turning_it_off_is_refused_while_the_tenant_requires_it(web, tenant, member, enrolled, next_code):
    # given
    admin = member(tenant, Role.ADMIN)
    user = member(tenant, Role.REGIONAL_LEAD)
    enrolled(user)
    services.policy_set(tenant=tenant, actor=admin, required_for_staff=True)
    client = web(user)
    client.post("/accounts/two-factor/verify/", {"code": next_code(user)})

    # when
    response = client.post("/accounts/two-factor/disable/", {"code": next_code(user)})

    # then
    assert response.status_code == 400
    assert "Alpha Robotics requires two-factor sign-in of its staff" in response.content.decode()
    assert has_two_factor(user)
