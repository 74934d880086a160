"""The criteria each kind of assessment rates 1–5 (from the domain brief)."""

from django.utils.translation import gettext_lazy as _

from partners.choices import AssessmentKind

SELECTION = {
    "business_direction": _("Business direction and staffing for it"),
    "customer_base": _("Customer base fits our target industries"),
    "integrity": _("Integrity (no bid-rigging or price dumping)"),
    "financial_strength": _("Financial strength (pays at agreed milestones)"),
    "other_lines": _("Other lines carried (complementary, no competing line)"),
}

#: The operating model, the fifth aspect, is a type recorded on the partner (``Partner.operating_model``), not rated.
STRATEGIC_ASPECTS = {
    "strength": _("Strength: size, funds, customers, backers"),
    "management": _("Management: people, processes, finance, hiring"),
    "reputation": _("Reputation among staff, peers, customers, partners"),
    "needs": _("Needs: clear intent to cooperate"),
}

STRATEGIC_STRENGTHS = {
    "drive": _("Drive"),
    "profit_attitude": _("Attitude to profit"),
    "rule_respect": _("Respect for the rules"),
    "management_level": _("Management level"),
    "decisiveness": _("Decisiveness"),
    "age_profile": _("Age profile"),
    "learning": _("Learning"),
    "sales_orientation": _("Sales orientation"),
    "service_orientation": _("Service orientation"),
}

TIER = {
    "competitiveness": _("Competitiveness at the customer side"),
    "willingness": _("Willingness to cooperate with us"),
    "autonomy": _("Sales autonomy"),
}

CANDIDATE_NEEDS = {
    "margin": _("Fair and extra margin"),
    "market_outlook": _("Market outlook"),
    "vendor_standing": _("The vendor's standing"),
    "sell_through": _("Sell-through"),
    "lower_risk": _("Lower operating risk"),
    "good_service": _("Good service"),
    "stronger_brand": _("Stronger brand"),
}

CRITERIA = {
    AssessmentKind.SELECTION: SELECTION,
    AssessmentKind.STRATEGIC: {**STRATEGIC_ASPECTS, **STRATEGIC_STRENGTHS},
    AssessmentKind.TIER: TIER,
}
