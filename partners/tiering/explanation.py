"""A computed tier in words: the axes' scores against their thresholds, and the letter they give.

Pure (no model, no query), below the models and the services: ``TierChange.description`` and the
tier recompute both read it, and the API and the pages explain a partner's current tier with it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def explain_words() -> dict:
    """The words of ``explain`` in the active language, translated once: a list explaining many
    partners passes them to each ``explain`` instead of a dozen translations per partner."""
    words = {
        "competitiveness": (_("strong"), _("weak")),
        "willingness": (_("high"), _("low")),
        "autonomy": (_("strong"), _("weak")),
    }
    return {
        "axes": {axis: (_(axis), good, bad) for axis, (good, bad) in words.items()},
        "no_data": _("%(axis)s: no data (%(word)s)"),
    }


def explain(why: dict, tier: str, words: dict | None = None) -> str:
    """'competitiveness 72.0 ≥ 50 (strong), willingness 40.0 < 50 (low), … → C'.

    ``why``: a ``TierChange``'s ``axes`` (``{"axes": {axis: {"score", "threshold", "strong"}}}``).
    ``words``: ``explain_words()``, read once where many partners are explained (a list page)."""
    words = words or explain_words()
    parts = []
    for axis, (name, good, bad) in words["axes"].items():  # the letters' order (jsonb keeps its own)
        if axis not in why["axes"]:
            continue
        values = why["axes"][axis]
        if values["score"] is None:
            parts.append(words["no_data"] % {"axis": name, "word": bad})
            continue
        sign = "≥" if values["strong"] else "<"
        word = good if values["strong"] else bad
        parts.append(f"{name} {values['score']:g} {sign} {values['threshold']:g} ({word})")
    return ", ".join(parts) + f" → {tier}"
