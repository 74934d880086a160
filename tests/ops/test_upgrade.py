"""Upgrades that do not stop the service.

1. Every migration new since the previous release is backward compatible (django-migration-linter),
   or has a written reason (``prm/ops/migration_exceptions.py``).
2. A database of the previous release, migrated and seeded with the demo by the previous release's
   own code (``git archive`` of ``PREVIOUS_RELEASE``), is migrated by this code while the previous
   code serves it: the previous code's read paths (pages and the API) answer throughout and after,
   and this code then serves the same paths.
"""

import subprocess
import sys
import tarfile
import threading
import time

import pytest

from prm.ops import upgrade
from prm.ops.migration_exceptions import EXCEPTIONS

from .instances import ROOT, Server, database, environment, manage, straight_to_postgresql

#: read paths of the previous release, as a channel manager and as a partner's user use them
READ_PATHS = [
    "/t/acme/",
    "/t/acme/partners/",
    "/t/acme/payouts/",
    "/api/v1/tenants/acme/partners/",
    "/api/v1/tenants/acme/payout-runs/",
    "/api/v1/tenants/acme/exchange-rates/",
]


@pytest.mark.django_db
def test_every_new_migration_is_backward_compatible_or_has_a_written_reason():
    failing, report = upgrade.lint()
    assert failing == [], (
        "These migrations are not backward compatible: the previous release's code breaks while and "
        "after they run. Make them compatible (add columns nullable or with a database default, drop "
        "or rename in a later release), or give the reason in prm/ops/migration_exceptions.py.\n" + report
    )


def test_every_exception_gives_a_reason():
    assert all(len(reason.split()) >= 8 for reason in EXCEPTIONS.values()), EXCEPTIONS


def previous_release(tmp_path):
    """The previous release's code, as ``git archive`` gives it."""
    archive = tmp_path / "previous.tar"
    subprocess.run(
        ["git", "archive", "--format=tar", "-o", str(archive), upgrade.PREVIOUS_RELEASE],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    code = tmp_path / "previous"
    with tarfile.open(archive) as tar:
        tar.extractall(code, filter="data")
    return code


@pytest.mark.postgres
def test_the_previous_release_keeps_answering_while_this_code_migrates_its_database(tmp_path):
    old_code = previous_release(tmp_path)
    with database("upgrade") as (_name, urls):
        env = environment(
            straight_to_postgresql(urls)
        )  # the previous release keeps its tenant on the session
        manage(old_code, env, "migrate", "--noinput")
        manage(old_code, env, "seed_demo")
        old = Server(old_code, env)
        try:
            staff = old.session("acme-manager")
            before = {path: staff.get(old.url + path, timeout=30).status_code for path in READ_PATHS}
            assert set(before.values()) == {200}, before
            # when: this code migrates while the previous code serves
            answers, done = [], threading.Event()

            def read_while_migrating():
                while not done.is_set():
                    for path in READ_PATHS:
                        answers.append((path, staff.get(old.url + path, timeout=60).status_code))

            reader = threading.Thread(target=read_while_migrating, daemon=True)
            reader.start()
            started = time.monotonic()
            migrated = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            done.set()
            reader.join(timeout=120)
            assert migrated.returncode == 0, migrated.stderr[-5000:]
            after = {path: staff.get(old.url + path, timeout=30).status_code for path in READ_PATHS}
        finally:
            old_log = old.stop()
        # then: the previous code answered every read, during and after
        failed = [(path, status) for path, status in answers if status != 200]
        assert answers and failed == [], (failed, old_log[-5000:])
        assert set(after.values()) == {200}, (after, old_log[-5000:])
        print(
            f"{len(answers)} reads of the previous code while migrating ({time.monotonic() - started:.1f} s)"
        )
        # and this code serves the upgraded database
        new = Server(ROOT, env)
        try:
            staff = new.session("acme-manager")
            now = {path: staff.get(new.url + path, timeout=30).status_code for path in READ_PATHS}
        finally:
            new_log = new.stop()
        assert set(now.values()) == {200}, (now, new_log[-5000:])
