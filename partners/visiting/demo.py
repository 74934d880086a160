"""The demo's first visits: a day's round prepared by area with its checklists, visits recorded by
the script (one that met its goal, some that stopped on the way), and a key partner's
senior-leadership meeting (``partners.demo.seed`` calls ``seed``)."""

from django.utils import timezone

from partners.choices import Stage, VisitKind
from partners.lifecycle.visits import visit_log
from partners.models import Partner, VisitPlan
from partners.programme.settings import programme_save
from partners.visiting.plans import plan_create, plan_update
from partners.visiting.script import STEP_KEYS

GOALS = [
    "Introduce the programme and book a meeting with the owner",
    "Show the maths against their current brand and leave samples",
    "Meet the sales lead and learn which lines they carry",
]


def _script(until: str, notes: dict) -> dict:
    """Every step up to ``until`` done, with its notes."""
    steps = STEP_KEYS[: STEP_KEYS.index(until) + 1]
    return {key: {"done": True, "note": notes.get(key, "")} for key in steps}


def seed(tenant, manager, admin) -> None:
    if manager is None or VisitPlan.objects.for_tenant(tenant).exists():
        return
    today = timezone.localdate()
    candidates = list(
        Partner.objects.for_tenant(tenant)
        .filter(stage__in=[Stage.PROSPECTING, Stage.FIRST_TALKS, Stage.SELECTION])
        .order_by("stage", "name")
    )
    if not candidates:
        return
    # today's round, by area: the first plan ready to go, the others still being prepared
    plans = [
        plan_create(partner=partner, actor=manager, date=today, goal=GOALS[i % len(GOALS)])
        for i, partner in enumerate(candidates[:3])
    ]
    plan_update(plan=plans[0], actor=manager, done=list(range(len(plans[0].checklist))))
    plan_update(plan=plans[-1], actor=manager, done=[0, 1, 2])
    # a visit prepared and already recorded by the script this morning: stopped at the maths
    first = candidates[0]
    done = plan_create(partner=first, actor=manager, date=today, goal=GOALS[1])
    plan_update(plan=done, actor=manager, done=list(range(len(done.checklist))))
    visit_log(
        partner=first,
        actor=manager,
        date=done.date,
        summary="Friendly owner; their competitor's brochures were on every desk.",
        script=_script(
            "maths",
            {
                "opening": "Cards exchanged; talked about the trade fair",
                "products": "Liked the evidence from the case book",
                "maths": "Could not show the whole-project profit: no figures for their current line",
            },
        ),
        concerns={"money": 2, "easy": 4, "safe": 3, "sound": 4},
        stopped_at="maths",
        missed_why="We had no figures for their current line; bring the margin sheet next time.",
        objections=[{"type": "price", "note": "Your margin for us is too thin.", "step": "maths"}],
        next_step="Send the margin sheet and book the demonstration.",
        plan=done,
    )
    for partner in candidates[1:3]:  # more scripted first visits for the report
        visit_log(
            partner=partner,
            actor=manager,
            date=today,
            summary="Ran the whole script; they asked for the channel policy in writing.",
            goal_met=True,
            make_target=True,
            script=_script("questions", {"demonstration": "The video convinced the sales lead"}),
            concerns={"money": 4, "easy": 4, "safe": 5, "sound": 4},
            objections=[{"type": "brand", "note": "Customers don't know you.", "step": "cases"}],
        )
    _key_partner(tenant, manager, admin, today)


def _key_partner(tenant, manager, admin, today) -> None:
    """A strategic partner marked key, whose senior leaders met and agreed the market plan."""
    key = Partner.objects.for_tenant(tenant).filter(stage=Stage.STRATEGIC).order_by("name").first()
    if key is None:
        return
    if admin is not None:
        programme_save(tenant=tenant, actor=admin, values={"key_partner_meeting": True})
    Partner.objects.for_tenant(tenant).filter(pk=key.pk).update(key_partner=True)
    visit_log(
        partner=key,
        actor=manager,
        date=today,
        kind=VisitKind.LEADERSHIP,
        summary="Our sales director met their managing director.",
        goal_met=True,
        agreed_points="The market plan for the next four quarters; the price policy and the discount bands "
        "as written; a joint launch event in the spring.",
    )
