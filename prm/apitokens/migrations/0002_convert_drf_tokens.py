"""Convert DRF's eternal tokens (``authtoken_token``) into named API tokens that end.

Each existing DRF token becomes an API token named "script (converted)", read and write, of the
same user, whose secret is the same 40 hex digits (only its SHA-256 is stored), ending 90 days
after this migration runs. Scripts that hold such a token keep working unchanged until then; the
page and the API list it, so its owner can revoke it or replace it sooner.

Pure SQL, one statement, and only when the table exists: ``rest_framework.authtoken`` may be gone
from ``INSTALLED_APPS``, and a new database has no DRF tokens. The DRF table is left as it is (the
previous release reads it while the upgrade rolls out; a token the previous release issues after
this migration ran is not converted, and its script asks ``auth/token/`` again). Reversing deletes
the converted tokens.
"""

from django.db import migrations

LEGACY_NAME = "script (converted)"
CONVERT = f"""
INSERT INTO apitokens_apitoken
    (user_id, name, prefix, key_hash, scope, created_at, expires_at, revoked_reason)
SELECT t.user_id, '{LEGACY_NAME}', left(t.key, 8), encode(sha256(convert_to(t.key, 'UTF8')), 'hex'),
       'read_write', t.created, now() + interval '90 days', ''
FROM authtoken_token AS t
ON CONFLICT (key_hash) DO NOTHING
"""


def convert(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(CONVERT)


def unconvert(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM apitokens_apitoken WHERE name = %s", [LEGACY_NAME])


class Migration(migrations.Migration):
    dependencies = [("apitokens", "0001_initial")]

    operations = [migrations.RunPython(convert, unconvert, elidable=True)]
