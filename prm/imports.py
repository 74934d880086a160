"""What every CSV import answers: all or nothing, every bad row reported."""

from __future__ import annotations

from dataclasses import dataclass


class ImportRejected(Exception):
    """The file was not imported; ``errors`` lists ``{"row", "field", "message"}``."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass
class ImportResult:
    created: int
    unchanged: int
