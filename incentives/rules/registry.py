"""Which function evaluates which kind."""

from ..choices import RuleKind
from . import kinds, loyalty
from .base import eligible

EVALUATORS = {
    RuleKind.COMMISSION: kinds.commission,
    RuleKind.REBATE: kinds.rebate,
    RuleKind.SPIF: kinds.spif,
    RuleKind.BONUS: kinds.bonus,
    RuleKind.MDF: kinds.mdf,
    RuleKind.POINTS: kinds.points,
    RuleKind.LOYALTY_TIER: loyalty.loyalty_tier,
    RuleKind.LOYALTY_YEARS: loyalty.loyalty_years,
    RuleKind.SUSTAINED_GROWTH: loyalty.sustained_growth,
}


def evaluate(rule, facts, context):
    """The drafts ``rule`` pays this partner for the period ([] when not eligible)."""
    if not rule.active or not eligible(rule, facts, context):
        return []
    return EVALUATORS[rule.kind](rule, facts, context)
