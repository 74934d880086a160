"""Migrations that are not backward compatible, each with the written reason it is accepted.

The key is ``app_label.migration_name``; the reason says what the previous release's code does
while and after the migration runs, and why that is acceptable (or what the operator must do, which
docs/deployment.md "Upgrading" repeats). ``prm.ops.upgrade.lint`` fails on any other incompatible
migration new since ``PREVIOUS_RELEASE``.
"""

_CHUNKS = (
    "Drops a table where the previous release keeps the ranges of one running computation for its "
    "minutes (unlogged; no page or API reads it); the computation framework's jobs_computationchunk "
    "takes over. A computation that an old worker runs in ranges while it is dropped fails with the "
    "error, and its job can be started again; drain or stop the old workers before migrating "
    "(docs/deployment.md, Upgrading)."
)

EXCEPTIONS: dict[str, str] = {
    "incentives.0014_delete_payout_chunks": _CHUNKS,
    "partners.0025_delete_tier_chunks": _CHUNKS,
    "scorecards.0014_delete_scorecard_chunks": _CHUNKS,
    "incentives.0015_loyalty_rule_kinds": (
        "Widens the kind of rules and payout lines from 12 to 20 characters (the loyalty kinds' "
        "names are longer) and adds choices; the previous release reads and writes its own, shorter "
        "kinds as before, and PostgreSQL widens a varchar without rewriting the table."
    ),
}
