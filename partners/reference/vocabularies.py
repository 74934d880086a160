"""Reference lists as vocabularies: the canonical spelling of a region, industry, product, competing
line or referrer.

A tenant that keeps a list for a kind accepts only its values (any case, or one of their other
spellings, which become the canonical name); a tenant without a list for that kind keeps free text.
Partners, imports, sales and deal registrations all go through ``Vocabulary.canonical``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.choices import ReferenceKind
from partners.models import ReferenceItem

#: partner fields and the list each is chosen from
PARTNER_FIELDS = {
    "region": ReferenceKind.REGION,
    "industry": ReferenceKind.INDUSTRY,
    "referrer": ReferenceKind.REFERRER,
}


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


class Vocabulary:
    """The tenant's active lists (one query), to canonicalise many values at once."""

    def __init__(self, tenant):
        self.words: dict[str, dict[str, str]] = {}
        self.names: dict[str, list[str]] = {}
        for kind, name, aliases in (
            ReferenceItem.objects.for_tenant(tenant)
            .filter(active=True)
            .values_list("kind", "name", "aliases")
        ):
            words = self.words.setdefault(kind, {})
            self.names.setdefault(kind, []).append(name)
            for spelling in [name, *(aliases or [])]:
                words.setdefault(_key(spelling), name)

    def has(self, kind: str) -> bool:
        return kind in self.words

    def canonical(self, kind: str, value: str) -> str:
        """The list's spelling of ``value``; ValidationError (a message) when the list has no such value."""
        value = (value or "").strip()
        if not value or not self.has(kind):
            return value
        found = self.words[kind].get(_key(value))
        if found is None:
            shown = sorted(self.names[kind])
            more = "" if len(shown) <= 12 else " …"
            raise ValidationError(
                _("“%(v)s” is not in the programme's list (%(values)s%(more)s).")
                % {"v": value, "values": ", ".join(shown[:12]), "more": more}
            )
        return found

    def canonical_list(self, kind: str, text: str) -> str:
        """A comma-separated text (competing lines carried) with each entry canonicalised."""
        if not self.has(kind):
            return text
        return ", ".join(self.canonical(kind, part) for part in (text or "").split(",") if part.strip())

    def partner_fields(self, fields: dict) -> dict:
        """``fields`` with region, industry, referrer and the competing lines canonicalised; the errors by field."""
        errors, clean = {}, dict(fields)
        for name, kind in PARTNER_FIELDS.items():
            if name in fields:
                try:
                    clean[name] = self.canonical(kind, fields[name])
                except ValidationError as exc:
                    errors[name] = exc.messages
        if "lines_carried" in fields:
            try:
                clean["lines_carried"] = self.canonical_list(
                    ReferenceKind.COMPETING_LINE, fields["lines_carried"]
                )
            except ValidationError as exc:
                errors["lines_carried"] = exc.messages
        if errors:
            raise ValidationError(errors)
        return clean

    def choices(self, kind: str) -> list[tuple[str, str]]:
        return [(name, name) for name in sorted(self.names.get(kind, []))]
