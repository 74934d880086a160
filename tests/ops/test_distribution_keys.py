"""The keys that would block distributing the tenant tables by ``tenant_id`` (prm/ops/distribution.py).

docs/scale-out.md states how many there are of each kind; a new table or key that adds one fails
here until the document says so (and a change that removes one, until it says that too).
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from prm.ops import distribution

DOC = Path(__file__).resolve().parents[2] / "docs" / "scale-out.md"

pytestmark = pytest.mark.django_db


def _stated() -> dict[str, int]:
    """The counts of the document's table of blockers: ``| kind | count |`` rows."""
    rows = re.findall(r"^\| ([a-z ]+) \| (\d+) \|", DOC.read_text(), flags=re.MULTILINE)
    return {words: int(count) for words, count in rows if words in distribution.KINDS.values()}


def test_the_document_states_every_blocker_there_is():
    found = distribution.summary(distribution.blockers())
    assert _stated() == found, (
        "docs/scale-out.md's table of keys without tenant_id is out of date: "
        "python manage.py distribution_keys --summary"
    )


def test_a_key_without_tenant_id_is_found_and_one_with_it_is_not():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE zz_probe (id bigint PRIMARY KEY, tenant_id bigint, code text,"
            " other text, UNIQUE (code), UNIQUE (tenant_id, other))"
        )
        cursor.execute("CREATE UNIQUE INDEX zz_probe_code_lower ON zz_probe (lower(other), tenant_id)")
        cursor.execute("SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()")
        schema = cursor.fetchone()[0]
    probe = distribution.blockers(schema=schema)
    assert sorted((b.table, b.kind, b.columns) for b in probe) == [
        ("zz_probe", "p", "id"),
        ("zz_probe", "u", "code"),
    ]


def test_the_command_prints_each_blocker_and_the_counts(capsys):
    call_command("distribution_keys")
    out = capsys.readouterr().out
    assert "tenant tables:" in out
    first = distribution.blockers()[0]
    assert f"{first.table}.{first.name} ({first.columns})" in out
