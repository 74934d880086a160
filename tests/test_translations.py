"""Every catalogue is complete: no message left untranslated or fuzzy (a fuzzy one is not used)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

LOCALE = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def entries(path: Path):
    """(msgid, [msgstr, ...], flags) of each entry, continuation lines joined."""
    entry, field = {"msgid": "", "msgstr": [], "flags": ""}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if field:
                yield entry["msgid"], entry["msgstr"], entry["flags"]
            entry, field = {"msgid": "", "msgstr": [], "flags": ""}, None
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#~") or line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            field, entry["msgid"] = "msgid", line[7:-1]
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(line.split(" ", 1)[1][1:-1])
        elif line.startswith('"'):
            if field == "msgid":
                entry["msgid"] += line[1:-1]
            elif field == "msgstr":
                entry["msgstr"][-1] += line[1:-1]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_catalogue_has_every_message_translated(path):
    missing = [msgid for msgid, msgstrs, _flags in entries(path) if msgid and not all(msgstrs)]
    fuzzy = [msgid for msgid, _msgstrs, flags in entries(path) if msgid and "fuzzy" in flags]

    assert not missing, f"untranslated in {path.parts[-3]}: {missing[:5]}"
    assert not fuzzy, f"fuzzy in {path.parts[-3]}: {fuzzy[:5]}"


def test_there_are_five_catalogues():
    assert [p.parts[-3] for p in CATALOGUES] == ["es", "fr", "it", "pt_BR", "zh_Hans"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_translation_keeps_the_placeholders_of_its_message(path):
    """msgfmt's format check: a broken "%(name)s" would make compilemessages fail and the message
    fall back to English (or crash where it is formatted)."""

    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed; compilemessages needs it too")
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_message_of_the_code_is_in_the_catalogues():
    """A string marked for translation but never extracted stays English in every language: the
    catalogues hold every message makemessages finds in the code and templates today."""

    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed; makemessages needs it too")
    scratch = LOCALE / "xx"  # a locale of no catalogue, extracted beside the others and removed
    here = os.getcwd()
    os.chdir(LOCALE.parent)  # makemessages reads the tree it runs in
    try:
        call_command(
            "makemessages",
            locale=["xx"],
            ignore_patterns=[".venv", "tests", "bench", "node_modules"],
            verbosity=0,
        )
        found = {msgid for msgid, _msgstrs, _flags in entries(scratch / "LC_MESSAGES" / "django.po") if msgid}
    finally:
        os.chdir(here)
        shutil.rmtree(scratch, ignore_errors=True)
    assert len(found) > 1000
    for path in CATALOGUES:
        kept = {msgid for msgid, _msgstrs, _flags in entries(path)}
        missing = sorted(found - kept)
        assert not missing, f"{path.parts[-3]} lacks {len(missing)} messages (make messages): {missing[:5]}"
