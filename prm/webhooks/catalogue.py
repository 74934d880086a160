"""The events other systems can subscribe to: name → what happened, in words.

The lowest of the webhooks modules: the endpoints' services check a subscription against it, and
``events.emit`` an event's name.
"""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "partner.created": _("A partner was created (by hand, imported or from an application)"),
    "partner.stage_changed": _("A partner moved to another stage"),
    "partner.tier_changed": _("A partner's tier changed (recomputed or overridden)"),
    "partner.certified": _("A partner was certified"),
    "deal.registered": _("A deal was registered"),
    "deal.decided": _("A deal registration was approved or rejected"),
    "deal.closed": _("A deal was won or lost"),
    "deal.withdrawn": _("A pending deal registration was withdrawn"),
    "lead.offered": _("A lead was offered to a partner"),
    "lead.accepted": _("A partner accepted a lead"),
    "lead.declined": _("A partner declined a lead (it goes to the next one)"),
    "lead.converted": _("An accepted lead became a deal registration"),
    "scorecard.published": _("The scorecards of a period were computed"),
    "payout_run.approved": _("A payout run was approved"),
    "application.received": _("A candidate applied on the public page"),
    "redemption.requested": _("A partner redeemed points for a reward (the points are reserved)"),
    "redemption.approved": _("A redemption was approved"),
    "redemption.refused": _("A redemption was refused (the points are given back)"),
    "redemption.fulfilled": _("A redemption was ordered, shipped or booked, or delivered"),
    "redemption.cancelled": _("A redemption was cancelled (the points are given back)"),
    "redemption.granted": _("A reward was granted as a prize (a contest's), approved and costing no points"),
    "contest.closed": _("A contest was closed and its prizes awarded"),
    "contest.prize_awarded": _("A partner won a prize in a contest"),
    "award.granted": _("A partner or one of its people received an award"),
    "request.raised": _("A partner user raised a request, idea or complaint"),
    "request.answered": _("The vendor answered a partner's request"),
    "request.closed": _("A partner's request was closed"),
    "survey.answered": _(
        "A customer answered a survey (its score), or a partner's person a partner survey (the round only)"
    ),
    "ping": _("A test event sent on request"),
}
