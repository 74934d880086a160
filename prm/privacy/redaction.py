"""Mentions of a person in free text and in JSON values, replaced by a placeholder."""

from __future__ import annotations

import re

#: what a mention of an erased person becomes
ERASED = "[erased]"


def pattern(terms: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern for every term, longest first (a name before its parts)."""
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)


def redact_text(text: str, found: re.Pattern | None) -> str:
    if not text or found is None:
        return text
    return found.sub(ERASED, text)


def redact_json(value, found: re.Pattern | None):
    """``value`` with every string (keys aside) redacted, whatever its nesting."""
    if found is None:
        return value
    if isinstance(value, str):
        return redact_text(value, found)
    if isinstance(value, list):
        return [redact_json(v, found) for v in value]
    if isinstance(value, dict):
        return {k: redact_json(v, found) for k, v in value.items()}
    return value
