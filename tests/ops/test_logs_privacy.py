"""The demo, used as its people use it, leaves no password, API token or e-mail address in the logs.

Seeds the demo (as ``make demo`` does), then logs in (a wrong password, the right one, a lock-out),
asks for a password reset by e-mail address, calls the API with tokens (good and bad), reads pages,
starts jobs (eager, as the demo runs them), invites a member by address, and fails requests; every
log line of all that, in production's JSON, is then searched for the demo's secrets and addresses.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from prm.apitokens import services as api_tokens
from prm.tenancy.demo import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_demos_logs_hold_no_password_token_or_address(demo, client, logs, settings):
    settings.AXES_FAILURE_LIMIT = 3
    # e-mails go through their task, as in production (the tests' own backend skips it)
    settings.EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
    settings.PRM_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users = list(get_user_model().objects.exclude(email=""))
    tokens = {user.username: api_tokens.issue(user=user, name="logs")[1] for user in users}
    admin = "acme-admin"

    # log in: a lock-out of one login, then another's wrong password and right one
    for _ in range(4):
        client.post("/accounts/login/", {"username": "acme-finance", "password": "not-" + DEMO_PASSWORD})
    client.post("/accounts/login/", {"username": admin, "password": DEMO_PASSWORD + "x"})
    assert client.post("/accounts/login/", {"username": admin, "password": DEMO_PASSWORD}).status_code == 302
    # pages and jobs as the admin
    for path in ("/t/acme/", "/t/acme/partners/", "/t/acme/members/", "/t/acme/no-such-page/"):
        client.get(path)
    client.post("/t/acme/data-summary/")
    client.post(
        "/t/acme/members/", {"username": "colleague", "email": "new.colleague@example.net", "role": "finance"}
    )
    client.post("/accounts/logout/")
    # a password reset asked by address
    client.post("/accounts/password_reset/", {"email": users[0].email})
    # the API with tokens, good and bad
    api = {"HTTP_AUTHORIZATION": f"Token {tokens[admin]}"}
    client.get("/api/v1/tenants/acme/partners/", **api)
    client.get("/api/v1/tenants/acme/members/", **api)
    client.post("/api/v1/tenants/acme/tiers/recompute/", **api)
    client.get("/api/v1/tenants/acme/partners/", HTTP_AUTHORIZATION="Token " + "0" * 40)
    client.get("/api/v1/tenants/globex/partners/", **api)  # another tenant's: 404
    client.post(
        "/api/v1/tenants/acme/members/",
        {"username": "someone", "email": "someone.new@example.org", "role": "finance"},
        content_type="application/json",
        **api,
    )

    text = logs.text
    lines = logs.lines
    assert len(lines) > 20, text  # the run did log: requests, tasks, logins
    assert {"prm.request", "prm.task"} <= {line["logger"] for line in lines}
    tasks = {line["task"] for line in lines if line["logger"] == "prm.task"}
    assert {"notifications.deliver_email", "tenancy.data_summary", "partners.recompute_tiers"} <= tasks
    assert len(mail.outbox) >= 2  # the reset link and the invitations went out
    secrets = {DEMO_PASSWORD, *tokens.values(), "new.colleague@example.net", "someone.new@example.org"}
    secrets |= {user.email for user in users}
    found = sorted(secret for secret in secrets if secret.lower() in text.lower())
    assert found == [], text
    assert "@example." not in text
