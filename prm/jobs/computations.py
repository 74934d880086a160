"""Computations over ranges of partners, done in one process or spread over several workers.

A tier recompute, a period's scorecards and a payout run are each one ``Computation``: it declares
how to plan its ranges, measure one range and join every range's measure, and how to run whole in
one process. This module owns the rest:

- ``Plan``: the ranges (``prm.ranges.id_ranges``), a token naming this plan, and whatever every
  range must share (a subclass adds its fields: a period, the rules, a time of computation);
- ``chunk_measure``: one range measured and its payload kept aside (``ComputationChunk``, one row
  per (tenant, token, index): measuring a range again replaces what it kept);
- ``chunks_join``: the plan's payloads read back in index order, every range counted first, joined
  in one transaction that also removes them (and the rows of computations that died a day ago);
- ``in_ranges``: every range measured here, then the join (tests and the bench: what workers do).

How a job runs a computation (in place when it is one range, else one chunk task per range
counted under a lock on the job, rescue and progress) is ``prm.jobs.tasks.run_computation``.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from prm.sql import aggregate_memory

from .models import ComputationChunk

#: How long the chunks of a computation that never joined (its worker died) are kept.
STALE_AFTER = timedelta(days=1)


def new_token() -> str:
    return str(uuid.uuid4())


@dataclass(kw_only=True, slots=True)
class Plan:
    """A computation cut into ranges of partners ``[low, high)`` (either end None: open), under a
    token of its own. A computation's plan adds what its ranges share; it travels to the chunk
    tasks as JSON (``as_json``, ``from_json``)."""

    ranges: list[tuple[int | None, int | None]]
    token: str = field(default_factory=new_token)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        """The plan ``as_json`` sent (JSON made its ranges lists)."""
        return cls(**{**data, "ranges": [tuple(r) for r in data["ranges"]]})


class Computation:
    """What a computation over ranges of partners declares; ``register`` one instance of it.

    ``plan``, ``measure``, ``join`` and ``in_place`` are its own; the chunk rows, their count and
    their cleaning, the job and its progress are the framework's. ``measure`` and ``join`` run with
    the computation's ``work_mem`` (``prm.sql.aggregate_memory``), ``join`` in a transaction.
    """

    #: how chunk tasks find it (``register``) and what its chunk rows say they are
    name: str = ""
    #: what logs and errors call it ("tier recompute")
    label: str = ""
    #: the class of its plans (``Plan`` or a subclass with what its ranges share)
    plan_class: type[Plan] = Plan

    def plan(self, tenant, **params) -> Plan:
        """Cut the computation into ranges (``params``: the job's, and ``chunk``, a range's size)."""
        raise NotImplementedError

    def measure(self, tenant, plan: Plan, index: int) -> dict:
        """The plan's ``index``-th range measured, as JSON-able values: its chunk's payload.
        Nothing of what the computation replaces is written yet."""
        raise NotImplementedError

    def join(self, tenant, plan: Plan, chunks: Chunks):
        """Every range's payload (``chunks``) written as the computation's outcome, in the
        transaction that removes them."""
        raise NotImplementedError

    def in_place(self, tenant, plan: Plan, progress=None):
        """The whole computation in this process (``progress(fraction)`` as it goes), as the join
        would have written it."""
        raise NotImplementedError

    def result(self, tenant, outcome) -> dict:
        """What the job keeps of the outcome of ``join`` or ``in_place``."""
        return outcome

    def describe(self, plan: Plan) -> str:
        """The computation as an error names it (its label, and e.g. its period)."""
        return self.label


_computations: dict[str, Computation] = {}


def register(computation: Computation) -> Computation:
    """Make ``computation`` known to the chunk tasks by its name (call it where it is declared)."""
    if not computation.name:
        raise ValueError(f"{type(computation).__name__} has no name")
    _computations[computation.name] = computation
    return computation


def computation_named(name: str) -> Computation:
    try:
        return _computations[name]
    except KeyError:
        raise LookupError(f"no computation named {name!r} is registered") from None


class Chunks:
    """The kept ranges of one plan, as its join reads them: counted before anything is read."""

    def __init__(self, computation: Computation, tenant, plan: Plan):
        self.computation, self.tenant, self.plan = computation, tenant, plan
        self.rows = ComputationChunk.objects.for_tenant(tenant).filter(token=plan.token)

    def check(self) -> None:
        """Refuse to join a plan whose ranges are not all measured (a RuntimeError: the job fails)."""
        kept, planned = self.rows.count(), len(self.plan.ranges)
        if kept != planned:
            raise RuntimeError(f"{self.computation.describe(self.plan)}: {kept} of {planned} chunks computed")

    def payloads(self):
        """Each range's payload, in the plan's order, read one at a time (a range's payload is
        the most a join holds of them)."""
        return self.rows.order_by("index").values_list("payload", flat=True).iterator(chunk_size=1)

    def ids(self) -> list[int]:
        """The chunk rows' ids in the plan's order, for a statement that reads their payloads in the
        database (``INSERT … SELECT`` from the JSON) instead of in Python."""
        return list(self.rows.order_by("index").values_list("pk", flat=True))

    def discard(self) -> None:
        """Remove the plan's chunks, and those of computations of the tenant that died."""
        self.rows.delete()
        stale = timezone.now() - STALE_AFTER
        ComputationChunk.objects.for_tenant(self.tenant).filter(created_at__lt=stale).delete()


def chunk_keep(computation: Computation, tenant, plan: Plan, index: int, payload) -> ComputationChunk:
    """Keep one range's payload until the join; a range measured again replaces what it kept."""
    chunk, _created = ComputationChunk.objects.for_tenant(tenant).update_or_create(
        tenant=tenant,
        token=plan.token,
        index=index,
        defaults={"computation": computation.name, "payload": payload},
    )
    return chunk


def chunk_measure(computation: Computation, tenant, plan: Plan, index: int) -> ComputationChunk:
    """Measure the plan's ``index``-th range and keep it (a range aggregates its sales as the
    whole channel does: hashed, with the computation's ``work_mem``)."""
    with aggregate_memory():
        payload = computation.measure(tenant, plan, index)
    return chunk_keep(computation, tenant, plan, index, payload)


def chunks_join(computation: Computation, tenant, plan: Plan):
    """Join every range of the plan, in one transaction that also removes the chunks: refused
    (``RuntimeError``, nothing written) unless every range is kept."""
    with aggregate_memory(), transaction.atomic():
        chunks = Chunks(computation, tenant, plan)
        chunks.check()
        outcome = computation.join(tenant, plan, chunks)
        chunks.discard()
    return outcome


def in_ranges(computation: Computation, tenant, plan: Plan):
    """Every range of ``plan`` measured in this process and kept, then joined: what workers do,
    one after the other (tests and the bench compare it with ``in_place``)."""
    for index in range(len(plan.ranges)):
        chunk_measure(computation, tenant, plan, index)
    return chunks_join(computation, tenant, plan)
