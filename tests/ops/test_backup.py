"""Backups that restore: the demo is seeded, backed up (docker/backup.sh), its database dropped and
its files deleted, restored (docker/restore.sh, then migrate), and the restored product serves the
same pages, the same stored files and the same payout export, byte for byte."""

import contextlib
import difflib
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from prm import devdb

from .instances import ROOT, Server, connect_as_owner, database, drop_database, environment, manage

STAFF_PAGES = ["/t/acme/", "/t/acme/partners/", "/t/acme/payouts/", "/t/acme/onboarding/"]
#: what differs between two answers of one page anyway: the CSRF token, the CSP nonce
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value="|nonce="|"X-CSRFToken": ")[^"]*"')


def pg_bin(url: str) -> str:
    """A folder whose pg_dump is at least as new as the server (the system's, or the embedded one's)."""
    with contextlib.closing(connect_as_owner(url, urlsplit(url).path.lstrip("/"))) as connection:
        server = connection.server_version // 10000
    system = shutil.which("pg_dump")
    if system:
        version = subprocess.run([system, "--version"], capture_output=True, text=True).stdout
        if int(re.search(r"(\d+)\.", version).group(1)) >= server:
            return str(Path(system).parent)
    return str(devdb._bin())


def snapshot(server: Server, paths: list[str], downloads: list[str]) -> dict[str, tuple[int, bytes]]:
    staff = server.session("acme-finance")
    answers = {}
    for path in paths:
        answer = staff.get(server.url + path, timeout=60)
        answers[path] = (answer.status_code, VOLATILE.sub(r"\1…", answer.text).encode())
    for path in downloads:
        answer = staff.get(server.url + path, timeout=60)
        answers[path] = (answer.status_code, answer.content)
    return answers


def changes(before: bytes, after: bytes) -> str:
    lines = difflib.unified_diff(
        before.decode(errors="replace").splitlines(), after.decode(errors="replace").splitlines(), lineterm=""
    )
    return "\n".join(list(lines)[:40])


def stored(urls, query: str) -> list[int]:
    with (
        contextlib.closing(
            connect_as_owner(urls["DATABASE_OPERATIONS_URL"], urlsplit(urls["DATABASE_URL"]).path[1:])
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(query)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_a_backup_restores_the_same_pages_files_and_payout_export(tmp_path):
    media, backup = tmp_path / "media", tmp_path / "backup"
    with database("backup") as (name, urls):
        env = environment(urls, MEDIA_ROOT=str(media))
        manage(ROOT, env, "migrate", "--noinput")
        manage(ROOT, env, "seed_demo")
        runs = stored(
            urls,
            "SELECT r.id FROM incentives_payoutrun r JOIN tenancy_tenant t ON t.id = r.tenant_id "
            "WHERE t.slug = 'acme' AND r.status <> 'draft' ORDER BY r.id",
        )
        agreements = stored(
            urls,
            "SELECT a.id FROM onboarding_agreement a JOIN tenancy_tenant t ON t.id = a.tenant_id "
            "WHERE t.slug = 'acme' AND a.document <> '' ORDER BY a.id",
        )
        assert runs and agreements, (runs, agreements)
        downloads = [
            f"/t/acme/payouts/{runs[0]}/export/?format=csv",
            f"/t/acme/agreements/{agreements[0]}/document/",
        ]
        pages = [*STAFF_PAGES, f"/t/acme/payouts/{runs[0]}/"]
        server = Server(ROOT, env)
        port = server.port  # the pages show their own address: the restored product answers on it too
        try:
            before = snapshot(server, pages, downloads)
        finally:
            server.stop()
        assert {status for status, _ in before.values()} == {200}, {p: s for p, (s, _) in before.items()}
        assert before[downloads[0]][1].count(b"\n") > 1  # the export has lines

        # back up, then lose everything
        tools = {"PG_BIN": pg_bin(urls["DATABASE_OWNER_URL"])}
        subprocess.run(
            ["bash", "docker/backup.sh", str(backup)],
            cwd=ROOT,
            env={**env, **tools},
            check=True,
            capture_output=True,
        )
        drop_database(urls["DATABASE_OWNER_URL"], name)
        shutil.rmtree(media)
        with (
            contextlib.closing(connect_as_owner(urls["DATABASE_OWNER_URL"])) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(f'CREATE DATABASE "{name}"')  # empty, owned by the owner role

        # restore, then migrate (the row-level security key, function, policies and grants)
        restored = subprocess.run(
            ["bash", "docker/restore.sh", str(backup)],
            cwd=ROOT,
            env={**env, **tools},
            capture_output=True,
            text=True,
        )
        assert restored.returncode == 0, restored.stderr
        manage(ROOT, env, "migrate", "--noinput")

        server = Server(ROOT, env, port)
        try:
            after = snapshot(server, pages, downloads)
        finally:
            log = server.stop()
        assert {path: status for path, (status, _) in after.items()} == dict.fromkeys(before, 200), log[
            -3000:
        ]
        for path in before:
            assert after[path][1] == before[path][1], f"{path} differs after the restore:\n" + changes(
                before[path][1], after[path][1]
            )
        assert os.listdir(media)
