"""What the surveys' webhook events carry. Services call this; they never import the API's
serializers themselves.

``survey.answered`` has two shapes, told apart by ``kind``: a customer survey's answer is the
survey as ``customer-surveys/{id}/`` shows it; a partner survey's answer is anonymous, so its event
names only the round and how many have answered it (no score, comment or group of the one answer:
a receiver could otherwise single out a person in a small group).
"""

from __future__ import annotations

from .api.serializers import CustomerSurveySerializer


def customer_answer_payload(survey) -> dict:
    """``{"kind": "customer", …}`` and the customer survey, answered, as the API shows it."""
    return {"kind": "customer", **CustomerSurveySerializer(survey).data}


def partner_answer_payload(survey) -> dict:
    """``{"kind": "partner", "survey", "title", "invited", "answered"}``: the round, never the answer."""
    invitations = survey.invitations.all()
    return {
        "kind": "partner",
        "survey": survey.pk,
        "title": survey.title,
        "invited": invitations.count(),
        "answered": invitations.filter(answered_at__isnull=False).count(),
    }
