"""The team's own numbers: each channel manager's (and each region's) activity against the playbook.

For a period: new candidates visited (partners whose first visit ever falls in the period) per
week against the cadence (``visit_cadence_per_day`` × 5 working days), visits and the share that
met their goal, per stage how many partners moved on or dropped out and the median days they had
spent in it against its time box, partners per tier and overdue partners now. Everything is
aggregated in SQL per owner (visits: per person who logged them) and per region; the number of
queries does not grow with partners or visits.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from partners.choices import INACTIVE, PIPELINE
from partners.conditions import overdue_q
from partners.models import Partner, StageChange, Visit
from partners.programme.settings import programme_for

WORKING_DAYS_A_WEEK = 5


def activity_report(*, tenant, period, owner=None, region: str = "") -> dict:
    """{"period", "weeks", "cadence_per_week", "owners": [row], "regions": [row]}; a row holds
    new_candidates, new_per_week, visits, goal_met, goal_met_rate, stages [{stage, moved_on,
    dropped, rate, median_days, time_box}], tiers {A…D}, overdue."""
    programme = programme_for(tenant)
    # a period still running counts the weeks so far, not the whole period
    last = min(period.end, timezone.localdate())
    weeks = max(1.0, ((last - period.start).days + 1) / 7)
    partners = Partner.objects.for_tenant(tenant)
    visits = Visit.objects.for_tenant(tenant).filter(date__gte=period.start, date__lte=period.end)
    changes = StageChange.objects.for_tenant(tenant)
    if region:
        partners, visits = (
            partners.filter(region__iexact=region),
            visits.filter(partner__region__iexact=region),
        )
        changes = changes.filter(partner__region__iexact=region)
    if owner is not None:
        partners = partners.filter(owner=owner)
        visits = visits.filter(logged_by=owner)
        changes = changes.filter(partner__owner=owner)
    rows: dict = {"owners": defaultdict(_row), "regions": defaultdict(_row)}
    _visits(tenant, visits, period, rows)
    _stages(tenant, changes, period, rows)
    _partners(partners, rows)
    cadence = programme.visit_cadence_per_day * WORKING_DAYS_A_WEEK
    names = _owner_names(tenant, [k for k in rows["owners"] if k is not None])
    result = {"period": period.code, "weeks": round(weeks, 1), "cadence_per_week": cadence}
    for group in ("owners", "regions"):
        listed = []
        for key, row in rows[group].items():
            row["new_per_week"] = round(row["new_candidates"] / weeks, 1)
            row["goal_met_rate"] = round(row["goal_met"] / row["visits"], 3) if row["visits"] else None
            row["stages"] = _stage_rows(row.pop("stage_data"), programme)
            label = names.get(key, "—") if group == "owners" else (key or "—")
            listed.append({"key": key, "name": label, **row})
        result[group] = sorted(listed, key=lambda r: (r["key"] is None, str(r["name"]).casefold()))
    return result


def _row():
    return {
        "new_candidates": 0,
        "visits": 0,
        "goal_met": 0,
        "overdue": 0,
        "partners": 0,
        "tiers": {t: 0 for t in "ABCD"},
        "stage_data": defaultdict(lambda: {"moved_on": 0, "dropped": 0, "days": []}),
    }


def _visits(tenant, visits, period, rows):
    for row in visits.values("logged_by_id", "partner__region").annotate(
        n=Count("id"), met=Count("id", filter=Q(goal_met=True))
    ):
        for group, key in (("owners", row["logged_by_id"]), ("regions", row["partner__region"])):
            rows[group][key]["visits"] += row["n"]
            rows[group][key]["goal_met"] += row["met"]
    first = (  # partners whose first visit ever is in the period, with who made it
        Visit.objects.for_tenant(tenant)
        .values("partner_id")
        .annotate(first=Min("date"))
        .filter(first__gte=period.start, first__lte=period.end)
    )
    new = visits.filter(partner_id__in=first.values("partner_id")).values(
        "partner_id", "logged_by_id", "partner__region", "date"
    )
    firsts = {row["partner_id"]: row["first"] for row in first}
    seen = set()
    for row in new.order_by("date", "id"):
        if row["partner_id"] in seen or row["date"] != firsts.get(row["partner_id"]):
            continue
        seen.add(row["partner_id"])
        rows["owners"][row["logged_by_id"]]["new_candidates"] += 1
        rows["regions"][row["partner__region"]]["new_candidates"] += 1


def _stages(tenant, changes, period, rows):
    """Exits from each pipeline stage in the period, and how long the partner had been in it."""
    entered = (
        StageChange.objects.for_tenant(tenant)
        .filter(partner_id=OuterRef("partner_id"), changed_at__lt=OuterRef("changed_at"))
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    exits = (  # the exits of the period only; when each partner had entered the stage it left
        changes.filter(
            changed_at__date__gte=period.start, changed_at__date__lte=period.end, from_stage__in=PIPELINE
        )
        .annotate(entered=Subquery(entered))
        .values("from_stage", "to_stage", "changed_at", "entered", "partner__owner_id", "partner__region")
    )
    for row in exits:
        stage, to = row["from_stage"], row["to_stage"]
        forward = to in PIPELINE and PIPELINE.index(to) > PIPELINE.index(stage)
        for group, key in (("owners", row["partner__owner_id"]), ("regions", row["partner__region"])):
            data = rows[group][key]["stage_data"][stage]
            if forward:
                data["moved_on"] += 1
                if row["entered"] is not None:
                    data["days"].append((row["changed_at"] - row["entered"]).days)
            elif to in INACTIVE:
                data["dropped"] += 1


def _stage_rows(data, programme) -> list[dict]:
    listed = []
    for stage in PIPELINE[:-1]:
        values = data.get(stage)
        if not values:
            continue
        moved, dropped = values["moved_on"], values["dropped"]
        listed.append(
            {
                "stage": stage,
                "moved_on": moved,
                "dropped": dropped,
                "rate": round(moved / (moved + dropped), 3) if moved + dropped else None,
                "median_days": median(values["days"]) if values["days"] else None,
                "time_box": programme.time_box_days(stage),
            }
        )
    return listed


def _partners(partners, rows):
    active = partners.exclude(stage__in=INACTIVE)
    for row in active.values("owner_id", "region", "computed_tier", "tier_override").annotate(
        n=Count("id"), late=Count("id", filter=overdue_q())
    ):
        letter = row["tier_override"] or row["computed_tier"]
        for group, key in (("owners", row["owner_id"]), ("regions", row["region"])):
            rows[group][key]["partners"] += row["n"]
            rows[group][key]["overdue"] += row["late"]
            if letter:
                rows[group][key]["tiers"][letter] += row["n"]


def _owner_names(tenant, ids) -> dict:

    users = get_user_model().objects.filter(pk__in=ids, memberships__tenant=tenant)
    return {u.pk: (u.get_full_name() or u.username) for u in users}


def activity_csv_rows(report: dict):
    """The owners' rows for the CSV export, one line per owner and stage summary."""
    yield [
        "owner",
        "new_candidates",
        "new_per_week",
        "cadence_per_week",
        "visits",
        "goal_met",
        "goal_met_rate",
        "partners",
        "tier_A",
        "tier_B",
        "tier_C",
        "tier_D",
        "overdue",
        "stages",
    ]
    for row in report["owners"]:
        stages = "; ".join(
            f"{s['stage']}: {s['moved_on']} on, {s['dropped']} out, median {s['median_days']} d"
            for s in row["stages"]
        )
        yield [
            row["name"],
            row["new_candidates"],
            row["new_per_week"],
            report["cadence_per_week"],
            row["visits"],
            row["goal_met"],
            row["goal_met_rate"] if row["goal_met_rate"] is not None else "",
            row["partners"],
            *[row["tiers"][t] for t in "ABCD"],
            row["overdue"],
            stages,
        ]
