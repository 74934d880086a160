"""The playbook's first visit in words: what to prepare, the script's steps, the partner's four concerns.

Pure definitions, read by the forms, the services, the API and the reports; stored visits keep the
keys below (``Visit.script``, ``Visit.concerns``, ``Visit.stopped_at``, ``Objection.step``).
"""

from django.utils.translation import gettext_lazy as _

#: The script's steps, in the order the visit runs them.
STEPS = {
    "opening": _("Opening: cards, introduction, purpose, a light topic"),
    "company": _("The company: history, culture, size, standing"),
    "products": _("The products: features, advantages, benefits, evidence"),
    "channel_policy": _("The channel policy"),
    "cases": _("Cases"),
    "maths": _("Doing the maths with the partner against the competitor"),
    "demonstration": _("Demonstration"),
    "proof": _("Proof: official material, customers' acceptance letters"),
    "listening": _("Listening and taking notes"),
    "questions": _("Questions that reveal real needs"),
}
STEP_KEYS = tuple(STEPS)

#: What the partner weighs, each rated 1 (not at all) to 5 (fully convinced).
CONCERNS = {
    "money": _("Can it make money (market and margin)"),
    "easy": _("Is it easy (management and training support)"),
    "safe": _("Is it safe (pre- and after-sales)"),
    "sound": _("Is it sound (product quality, company history)"),
}
CONCERN_KEYS = tuple(CONCERNS)

#: What a new tenant prepares before a first visit (a programme setting, ``visit_checklist``).
DEFAULT_CHECKLIST = (
    _("Business cards and a notebook"),
    _("The brochure and the case book"),
    _("A laptop for the video or slides"),
    _("Samples in the car"),
    _("The relevant policy documents"),
    _("Proof of strength: customers' letters, certifications"),
    _("The goal of the visit written down"),
    _("The partner's sheet"),
)


def step_label(key: str) -> str:
    return str(STEPS.get(key, key))


def step_reached(script: dict) -> str:
    """The furthest step recorded as done (``""`` when none)."""
    done = [key for key in STEP_KEYS if (script.get(key) or {}).get("done")]
    return done[-1] if done else ""
