"""The error tracker: off without SENTRY_DSN; on with it, nothing personal leaves."""

import json
import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk

from prm.ops import sentry

ROOT = Path(__file__).resolve().parents[2]

SECRETS = [
    "alice@example.com",
    "bob@example.org",
    "carol@example.com",
    "hunter2",
    "alice-the-user",
    "s3ss10n",
]


def test_the_tracker_is_off_without_the_setting(settings):
    settings.SENTRY_DSN = ""
    assert sentry.init_from_settings() is False
    assert not sentry_sdk.get_client().is_active()


def test_the_scrubber_removes_addresses_secrets_and_the_users_details():
    event = {
        "user": {
            "id": 5,
            "email": "alice@example.com",
            "username": "alice-the-user",
            "ip_address": "10.1.2.3",
        },
        "request": {
            "url": "https://prm.example.com/t/acme/partners/",
            "headers": {
                "Authorization": "Token " + "a" * 40,
                "Cookie": "sessionid=s3ss10n",
                "X-Request-ID": "r-1",
            },
            "cookies": {"sessionid": "s3ss10n"},
            "data": {"email": "bob@example.org"},
            "query_string": "email=bob@example.org",
        },
        "exception": {
            "values": [{"type": "IntegrityError", "value": "Key (email)=(carol@example.com) exists"}]
        },
        "breadcrumbs": {"values": [{"message": "password=hunter2 sent to bob@example.org"}]},
        "extra": {"password": "hunter2", "note": "for alice@example.com"},
    }
    scrubbed = sentry.scrub(event)
    text = json.dumps(scrubbed)
    assert [secret for secret in [*SECRETS, "a" * 40, "10.1.2.3"] if secret in text] == []
    assert scrubbed["user"] == {"id": 5}
    assert scrubbed["request"]["headers"]["X-Request-ID"] == "r-1"
    assert scrubbed["exception"]["values"][0]["value"] == "Key (email)=([email]) exists"
    assert "cookies" not in scrubbed["request"] and "data" not in scrubbed["request"]


SCRIPT = """
import json, logging, os
import django
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport

sent = []

class Capture(Transport):
    def capture_envelope(self, envelope):
        sent.append(envelope.serialize().decode())

client = sentry_sdk.get_client()
client.transport = Capture(client.options)
logging.getLogger("prm.example").warning("mail to bob@example.org")
sentry_sdk.set_user({"id": 7, "email": "alice@example.com", "username": "alice-the-user"})
try:
    raise ValueError("Key (email)=(carol@example.com) exists; password=hunter2")
except ValueError:
    sentry_sdk.capture_exception()
sentry_sdk.flush()
print(json.dumps({"active": client.is_active(), "sent": sent}))
"""


def test_with_the_setting_errors_are_sent_without_personal_data():
    env = {
        **os.environ,
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
        "DJANGO_SETTINGS_MODULE": "prm.settings",
    }
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    sent = "\n".join(report["sent"])
    assert report["active"] is True
    assert "ValueError" in sent and "[email]" in sent
    assert [secret for secret in SECRETS if secret in sent] == []
    assert '"id": 7' in sent or '"id":7' in sent
