"""Telling whether two registrations are for the same customer.

Names are compared after normalisation: case and accents folded, punctuation
dropped, legal-form suffixes (Ltd, GmbH, S.A., Ltda, …) removed. E-mail
addresses and websites are reduced to their domain, which also matches.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

LEGAL_FORMS = {
    "ltd",
    "limited",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "sa",
    "sas",
    "sarl",
    "sl",
    "slu",
    "srl",
    "spa",
    "sapa",
    "ltda",
    "me",
    "eireli",
    "bv",
    "nv",
    "ab",
    "as",
    "oy",
    "pty",
    "kk",
    "lda",
    "sad",
}
FREE_MAIL = {"gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "qq.com", "163.com", "icloud.com"}


def normalise_customer(name: str) -> str:
    """'ACME Robotics, S.A.' and 'Acme Robotics SA' both become 'acme robotics'."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"(?<=\b\w)\.(?=\w\b)", "", text)  # s.a. -> sa, s.p.a. -> spa
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.replace(".", " ").split()
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def customer_domain(value: str) -> str:
    """The domain of an e-mail address or website; '' for free-mail and blanks."""
    value = (value or "").strip().lower()
    if not value:
        return ""
    if "@" in value:
        domain = value.rsplit("@", 1)[1]
    else:
        try:
            domain = urlsplit(value if "//" in value else f"//{value}").hostname or ""
        except ValueError:  # not a URL at all, e.g. "http://[abc"
            return ""
    domain = domain.removeprefix("www.")
    return "" if domain in FREE_MAIL else domain
