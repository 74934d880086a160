"""The verify step: after the password, a user with a second factor gives a code (or a recovery
code) before any page; wrong codes are throttled, visibly; single sign-on sessions pass."""

import pytest
from rest_framework.test import APIClient

from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context

from .conftest import wrong_code

pytestmark = pytest.mark.django_db

PAGES = ["/t/alpha/", "/t/alpha/partners/", "/accounts/profile/", "/", "/accounts/password_change/"]


def test_every_page_waits_for_the_code(web, tenant, member, enrolled, next_code):
    # given: a manager with two-factor sign-in, just past the password
    user = member(tenant, Role.CHANNEL_MANAGER)
    enrolled(user)
    client = web(user)

    # when
    before = {url: client.get(url) for url in PAGES}
    api = client.get("/api/v1/tenants/alpha/partners/")
    verify = client.post(
        "/accounts/two-factor/verify/", {"code": next_code(user), "next": "/t/alpha/partners/"}
    )
    after = {url: client.get(url).status_code for url in PAGES}

    # then
    for url, response in before.items():
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/two-factor/verify/?next="), url
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    assert verify.status_code == 302 and verify["Location"] == "/t/alpha/partners/"
    assert after["/t/alpha/"] == 200 and after["/t/alpha/partners/"] == 200
    assert client.get("/api/v1/tenants/alpha/partners/").status_code == 200


def test_signing_out_and_switching_language_need_no_code(web, tenant, member, enrolled):
    user = member(tenant, Role.FINANCE)
    enrolled(user)
    client = web(user)

    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 302
    assert client.get("/accounts/two-factor/verify/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/t/alpha/")["Location"].startswith("/accounts/login/")


def test_a_wrong_code_is_refused_and_opens_nothing(web, tenant, member, enrolled, next_code):
    user = member(tenant, Role.ADMIN)
    enrolled(user)
    client = web(user)

    response = client.post("/accounts/two-factor/verify/", {"code": wrong_code(next_code(user))})

    assert response.status_code == 400 and "That code is not right." in response.content.decode()
    assert client.get("/t/alpha/").status_code == 302


def test_after_a_wrong_code_even_a_right_one_waits_and_says_how_long(
    web, tenant, member, enrolled, next_code
):
    # given: one wrong code (the back-off starts at OTP_THROTTLE_SECONDS and doubles)
    user = member(tenant, Role.ADMIN)
    enrolled(user)
    client = web(user)
    client.post("/accounts/two-factor/verify/", {"code": wrong_code(next_code(user))})

    # when
    response = client.post("/accounts/two-factor/verify/", {"code": next_code(user)})

    # then
    assert response.status_code == 400
    assert "Too many wrong codes, try again in 1 minute." in response.content.decode()
    assert client.get("/t/alpha/").status_code == 302


def test_a_recovery_code_signs_in_once(web, client, tenant, member, enrolled):
    # given
    user = member(tenant, Role.REGIONAL_LEAD)
    codes = enrolled(user)

    # when: used in one session, then again in another
    first = web(user).post(
        "/accounts/two-factor/verify/", {"code": codes[0].upper()[:4] + "-" + codes[0][4:]}
    )
    opened = client.get("/t/alpha/").status_code
    client.logout()
    again = web(user).post("/accounts/two-factor/verify/", {"code": codes[0]})

    # then
    assert first.status_code == 302 and opened == 200
    assert again.status_code == 400
    with tenant_context(tenant):
        used = AuditEntry.objects.for_tenant(tenant).get(action="twofactor.recovery_code_used")
    assert used.changes == {"recovery_codes_left": [10, 9]}


def test_single_sign_on_sessions_are_verified_by_the_identity_provider(web, tenant, member, enrolled):
    user = member(tenant, Role.CHANNEL_MANAGER)
    enrolled(user)
    client = web(user)
    session = client.session
    session["prm_signed_in_with"] = "sso"
    session.save()

    assert client.get("/t/alpha/").status_code == 200


def test_api_token_clients_are_not_asked_for_a_code(tenant, member, enrolled):
    user = member(tenant, Role.CHANNEL_MANAGER)
    enrolled(user)
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "secret-pass-1"}
    ).json()

    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    assert client.get("/api/v1/tenants/alpha/partners/").status_code == 200
