"""Partner health: early-warning signals, each a reason in words, and the status they add up to.

A signal is one aggregate query over the tenant, ``measure(tenant, now, programme) ->
{partner_id: params}``, with a weight and a sentence, declared in an app's plugs module
(``health_signals = [Signal(...)]``, see ``prm.plugs``). Partners declares the ones it can see
(quiet, stage overdue, a large return); onboarding adds training about to expire, leads adds leads
ignored, scorecards a score falling two periods running. A partner's weights add up:
0 is ok, 1 is watch, 2 or more is at risk. Computed with every tier recompute
(``services.tiers.tiers_recompute``), so the nightly run and ``tiers/recompute/`` refresh both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from partners.choices import Health


@dataclass(frozen=True)
class Signal:
    """``measure(tenant, now, programme) -> {partner_id: params}``; ``words(params)``: the reason in
    the reader's language."""

    code: str
    measure: Callable
    words: Callable[[dict], str]
    weight: int = 1


_signals: dict[str, Signal] = {}


def register_health_signal(signal: Signal) -> None:
    """Add a signal (one of the same code is replaced); ``prm.plugs`` calls it for each
    ``health_signals`` entry."""
    _signals[signal.code] = signal


def signals() -> list[Signal]:
    return list(_signals.values())


def status_for(reasons: list[dict]) -> str:
    weight = sum(_signals[r["code"]].weight if r["code"] in _signals else 1 for r in reasons)
    return Health.AT_RISK if weight >= 2 else Health.WATCH if weight else Health.OK


def describe(reasons: list[dict]) -> list[dict]:
    """The reasons with their sentence in the reader's language: [{"code", "message", "params"}]."""
    described = []
    for reason in reasons or []:
        signal = _signals.get(reason.get("code"))
        message = signal.words(reason.get("params", {})) if signal else reason.get("code", "")
        described.append(
            {"code": reason.get("code"), "message": str(message), "params": reason.get("params", {})}
        )
    return described
