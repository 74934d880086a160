"""What each kind of job is called, in words people read (the apps register theirs)."""

from django.utils.translation import gettext_lazy as _

_LABELS: dict = {}


def register(kind: str, label) -> None:
    _LABELS[kind] = label


def label(kind: str) -> str:
    return str(_LABELS.get(kind) or kind.replace("_", " ").capitalize())


register("data_summary", _("Data summary"))
register("recompute_tiers", _("Tier recompute"))
register("compute_scorecards", _("Scorecard computation"))
register("scorecard_pdfs", _("Scorecard PDFs (ZIP)"))
register("payout_run", _("Payout run computation"))
register("sales_reconvert", _("Sales re-converted at a new exchange rate"))
