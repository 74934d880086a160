"""What looks wrong in a payout run before finance approves it: its warnings.

A warning is a row (``PayoutRunWarning``) of facts, not a sentence: its kind (``code``), the partner
it is about, the parameters of its sentence, and how many sales it is about with the first few of
them. Pages, the API and the CSV render it in the reader's language (``message``). A run over a
large channel carries hundreds of thousands of warnings: they are found and written as the run is
computed (``run_checks``), and readers count, group and page them in the database (``groups``,
``rows``, ``csv_download``). Finance acknowledges a kind at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partners.choices import Stage
from prm.portal.responses import csv_stream

from .models import PayoutRunWarning

#: The kind every adjustment raises: someone other than whoever adjusted the run acknowledges it.
ADJUSTMENT = "manual_adjustment"
#: Each kind's rank, kept on each of its rows (``PayoutRunWarning.rank``): a run lists its warnings
#: kind by kind in this order. Never renumber a kind (its rows keep the number it was written with,
#: those moved by migration 0011 too); a new kind takes the next number.
RANKS = {"duplicate_sale": 0, "unsigned_partner": 1, "overlapping_rules": 2, "jump": 3, ADJUSTMENT: 4}
#: The kinds of warning in the order a run lists them.
ORDER = sorted(RANKS, key=RANKS.get)
#: The rank of a kind this version does not know (kept by an earlier one).
UNKNOWN_RANK = 99
#: A warning keeps how many sales it is about and the first this many of them, never all of them.
SALES_KEPT = 10
#: A duplicate sale names the first this many of the partners that booked it.
NAMES_KEPT = 10


def rank(code: str) -> int:
    return RANKS.get(code, UNKNOWN_RANK)


# --- reading them -------------------------------------------------------------------------

#: code → (what the group is called, the sentence one warning reads as)
KINDS = {
    ADJUSTMENT: (
        _("Adjustments typed by hand"),
        _("%(by)s adjusted %(partner)s by %(amount)s: %(reason)s"),
    ),
    "duplicate_sale": (
        _("The same sale booked by several partners"),
        _("The same sale (%(customer)s, %(product)s, %(date)s, %(amount)s) is booked by %(partners)s."),
    ),
    "unsigned_partner": (
        _("Sales by partners not signed yet"),
        _("%(partner)s is not signed (stage %(stage)s) but has %(n)d sales this period."),
    ),
    "overlapping_rules": (
        _("Sales paid by several rules of one kind"),
        _("%(n)d sales are paid by several rules: %(rules)s."),
    ),
    "jump": (
        _("Totals far above the partner's history"),
        _("%(partner)s: %(total)s this period, more than %(factor)s× its average of %(avg)s before."),
    ),
}
#: how many warnings of a kind the run page and the API show before "all as CSV"
SAMPLE = 5
#: what a reader takes of a warning's row
FIELDS = ("code", "partner_id", "params", "facts")


@dataclass(frozen=True)
class RunCheck:
    """A kind of warning another app finds in a payout run (an app's ``run_checks``, see ``prm.plugs``).

    ``rank`` is fixed for the kind, as ``RANKS`` are (a new kind takes the next free number);
    ``label`` names the group and ``sentence`` reads one warning (``sentence % params``, or
    ``sentence(params)`` where it is a function). ``write(tenant=, run=, period=, partners=,
    rank=) -> int`` inserts the run's warnings of the kind in the database (set-based), once every
    range is in; ``excluded(tenant) -> Q | None``, where given, is the sales of the period that the run
    leaves out (they earn nothing), read by ``facts.load_facts``."""

    code: str
    rank: int
    label: object
    sentence: object
    write: Callable
    excluded: Callable | None = None


_checks: dict[str, RunCheck] = {}


def register_run_check(check: RunCheck) -> None:
    """Add a kind of warning (one of the same code is replaced); ``prm.plugs`` calls it for each
    ``run_checks`` entry."""
    _checks[check.code] = check
    RANKS[check.code] = check.rank
    KINDS[check.code] = (check.label, check.sentence)
    ORDER[:] = sorted(RANKS, key=RANKS.get)


def run_checks() -> list[RunCheck]:
    return list(_checks.values())


def label(code: str) -> str:
    return str(KINDS[code][0]) if code in KINDS else code


def message(warning: dict) -> str:
    """One warning (a row's ``FIELDS``) in the reader's language."""
    params = warning.get("params")
    if not params or warning.get("code") not in KINDS:  # stored as a sentence by an earlier version
        return (warning.get("facts") or {}).get("message") or warning.get("message", "")
    params = {"factor": "3", **params}  # runs stored before the factor was a setting: 3×
    if "stage" in params and params["stage"] in Stage.values:
        params["stage"] = Stage(params["stage"]).label
    sentence = KINDS[warning["code"]][1]
    return str(sentence(params) if callable(sentence) else str(sentence) % params)


def item(row: dict) -> dict:
    """A warning as the API lists it."""
    facts = row["facts"] or {}
    return {
        "code": row["code"],
        "label": label(row["code"]),
        "partner": row["partner_id"],
        "message": message(row),
        "sales": facts.get("sales", []),
        "sales_count": facts.get("sales_count", len(facts.get("sales", []))),
    }


def rows(run, code: str | None = None):
    """The run's warnings (of one kind, or all) in the order the run lists them: a queryset of
    their ``FIELDS``, for a page at a time (the API) or a stream (the CSV)."""
    found = PayoutRunWarning.objects.for_tenant(run.tenant_id).filter(run_id=run.pk)
    if code:
        found = found.filter(rank=rank(code), code=code)
    return found.order_by("rank", "partner_id", "position").values(*FIELDS)


def counted(run) -> list[tuple[str, int]]:
    """(code, how many) of each kind of the run's warnings, in the order the run lists them: one
    GROUP BY over the run's rows."""
    found = (
        PayoutRunWarning.objects.for_tenant(run.tenant_id)
        .filter(run_id=run.pk)
        .values("rank", "code")
        .annotate(n=Count("id"))
        .order_by("rank", "code")
    )
    return [(row["code"], row["n"]) for row in found]


def counts(run) -> list[tuple[str, int]]:
    """``counted``, as the run's summary keeps it since it was computed (``PayoutRun.summary``)."""
    kept = (run.summary or {}).get("warnings")
    if kept is not None:
        return [(group["code"], group["count"]) for group in kept]
    return counted(run)


def count(run) -> int:
    return sum(n for _code, n in counts(run))


def groups(run, sample: int = SAMPLE) -> list[dict]:
    """The run's warnings by kind: code, label, count, the first few, and who acknowledged them."""
    acknowledged = run.acknowledgements or {}
    found = counts(run)
    first = _first(run, [code for code, _n in found], sample)
    return [
        {
            "code": code,
            "label": label(code),
            "count": n,
            "sample": [message(w) for w in first.get(code, [])],
            "acknowledged": acknowledged.get(code),
        }
        for code, n in found
    ]


def _first(run, codes: list[str], sample: int) -> dict[str, list[dict]]:
    """The first ``sample`` warnings of each of ``codes``: one statement, a short index range each."""
    if not codes or sample <= 0:
        return {}
    parts = [rows(run, code).values(*FIELDS, "position")[:sample] for code in codes]
    if len(parts) > 1:
        parts = [parts[0].union(*parts[1:], all=True)]
    found = defaultdict(list)
    for row in (row for part in parts for row in part):
        found[row["code"]].append(row)
    for listed in found.values():  # (a union keeps no order: each kind's, as ``rows`` sorts it)
        listed.sort(key=lambda w: (w["partner_id"] is None, w["partner_id"] or 0, w["position"]))
    return found


def unacknowledged(run) -> list[str]:
    """The kinds of warning nobody has acknowledged yet, in the order they appear."""
    acknowledged = run.acknowledgements or {}
    return [code for code, n in counts(run) if n and code not in acknowledged]


CSV_COLUMNS = ["kind", "code", "partner_id", "message", "sales"]


def csv_rows(run, code: str | None = None, language: str | None = None):
    """Every warning (of one kind, or all) as rows for a CSV download in ``language`` (the active
    one by default), read a few thousand at a time."""
    with translation.override(language or translation.get_language()), transaction.atomic():
        yield CSV_COLUMNS  # (one transaction: the server-side cursor lives in it)
        for warning in rows(run, code).iterator(chunk_size=2000):
            yield [
                label(warning["code"]),
                warning["code"],
                warning["partner_id"] or "",
                message(warning),
                " ".join(str(sale) for sale in (warning["facts"] or {}).get("sales", [])),
            ]


def csv_download(run, code: str | None = None):
    """The warnings as a CSV file download (pages and API alike), streamed as it is read, in the
    language of the request."""
    code = code if code in KINDS else None
    suffix = f"-{code}" if code else ""
    return csv_stream(csv_rows(run, code, translation.get_language()), f"warnings-{run.period}{suffix}.csv")
