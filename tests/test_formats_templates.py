"""No template writes a date in a format of its own: dates follow the reader's language (Django's named
formats, ``docs/exports.md``), except ISO 8601 inside a machine attribute such as ``datetime="…"``."""

import re
from pathlib import Path

from django.conf import settings

NAMED = {"SHORT_DATE_FORMAT", "DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT"}
ISO = {"c", "Y-m-d", "U"}
#: ``|date:"…"`` or ``|time:"…"`` with a literal format, and the 40 characters before it
LITERAL = re.compile(r"""(?P<before>.{0,40})\|(?:date|time):["'](?P<format>[^"']*)["']""")


def _templates():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    for root in roots:
        yield from (p for p in root.rglob("*") if p.suffix in {".html", ".txt", ".xml"})


def hand_made_formats(text: str) -> list[str]:
    """The literal date formats of ``text`` that are neither named nor ISO in a machine attribute."""
    found = []
    for match in LITERAL.finditer(text):
        fmt = match["format"]
        if fmt in NAMED:
            continue
        if fmt in ISO and re.search(r"""(datetime|data-[\w-]+|value)=["'][^"']*$""", match["before"]):
            continue
        found.append(match.group(0).strip())
    return found


def test_templates_use_the_languages_date_formats_only():
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): found
        for path in _templates()
        if (found := hand_made_formats(path.read_text(encoding="utf-8")))
    }
    assert not offenders, offenders


def test_the_check_catches_a_hand_made_format_and_lets_iso_in_an_attribute_pass():
    assert hand_made_formats('{{ day|date:"d.m.Y" }}') == ['{{ day|date:"d.m.Y"']
    assert (
        hand_made_formats('<time datetime="{{ day|date:"c" }}">{{ day|date:"SHORT_DATE_FORMAT" }}</time>')
        == []
    )
    assert hand_made_formats('<p>{{ day|date:"Y-m-d" }}</p>')  # ISO shown to a person is hand-made too
