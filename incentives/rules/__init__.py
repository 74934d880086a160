"""The rule engine: one module per rule kind, pure functions over a partner's period facts.

``clean_params(kind, params)`` validates a rule's parameters (errors keyed by
parameter); ``evaluate(rule, facts, context)`` returns the line drafts a rule
pays one partner for the period.
"""

from .base import Draft, PartnerFacts, RunContext, eligible
from .params import clean_params
from .registry import evaluate

__all__ = ["Draft", "PartnerFacts", "RunContext", "clean_params", "eligible", "evaluate"]
