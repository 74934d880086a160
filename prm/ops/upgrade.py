"""Upgrades that do not stop the service: which migrations are new since the previous release, and
whether each is backward compatible (django-migration-linter), so the previous release's code
keeps working on the migrated schema while the new code rolls out.

``PREVIOUS_RELEASE`` is the commit of the release an installation upgrades from. A migration that
is not backward compatible needs a written reason in ``migration_exceptions.EXCEPTIONS`` (what the
old code does with it during the upgrade, and why that is acceptable); ``tests/ops/test_upgrade.py``
lints every new migration in CI and migrates a database of the previous release, with its demo
data, while the previous code serves.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

from django.db.migrations.loader import MigrationLoader
from django_migration_linter import MigrationLinter

from .migration_exceptions import EXCEPTIONS

ROOT = Path(__file__).resolve().parents[2]

#: the previous release: main as it ran before the operators' issue (health, metrics, logs, backups,
#: upgrades); move it forward with each release
PREVIOUS_RELEASE = "9b345c1c851598d55d084a239517ad4a9d47157d"

PROJECT_PACKAGES = {"prm", "partners", "leads", "scorecards", "incentives", "onboarding"}
MIGRATION_FILE = re.compile(r"^(?P<path>.+)/migrations/(?P<name>\d{4}_\w+)\.py$")


def migrations_at(commit: str) -> set[tuple[str, str]]:
    """``(app path, migration name)`` of every migration file in ``commit``'s tree."""
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", commit],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return {(m["path"], m["name"]) for line in listed if (m := MIGRATION_FILE.match(line))}


def new_migrations(commit: str = PREVIOUS_RELEASE) -> list:
    """The migrations of this code that ``commit`` did not have, as Migration objects."""
    known = migrations_at(commit)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (_label, name), migration in loader.disk_migrations.items():
        package = migration.__module__.rsplit(".migrations.", 1)[0]
        if package.split(".")[0] not in PROJECT_PACKAGES:
            continue  # Django's and third parties' migrations come with their own releases
        if (package.replace(".", "/"), name) not in known:
            found.append(migration)
    return sorted(found, key=lambda m: (m.app_label, m.name))


def lint(commit: str = PREVIOUS_RELEASE) -> tuple[list[str], str]:
    """Lint the migrations new since ``commit``; returns the names of the incompatible ones that
    have no written exception, and the linter's report."""

    linter = MigrationLinter(
        str(ROOT), no_cache=True, ignore_name=[name.split(".", 1)[1] for name in EXCEPTIONS]
    )
    report = io.StringIO()
    failing = []
    with contextlib.redirect_stdout(report):
        for migration in new_migrations(commit):
            name = f"{migration.app_label}.{migration.name}"
            before = linter.nb_erroneous
            if name in EXCEPTIONS:
                print(f"({migration.app_label}, {migration.name}) excepted: {EXCEPTIONS[name]}")
                continue
            linter.lint_migration(migration)
            if linter.nb_erroneous > before:
                failing.append(name)
    return failing, report.getvalue()
