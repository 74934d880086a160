"""Partners and everything the life cycle records about them."""

from .assessments import Assessment
from .benefits import TierBenefit
from .counts import PartnerCount
from .deals import DealRegistration, Sale
from .partner import Contact, Partner, PartnerUser, RelationshipChange, StageChange
from .reference import ReferenceItem
from .tiers import HealthChange, TierChange
from .visits import Objection, ObjectionResponse, Visit

__all__ = [
    "Assessment",
    "Contact",
    "DealRegistration",
    "HealthChange",
    "Objection",
    "ObjectionResponse",
    "Partner",
    "PartnerCount",
    "RelationshipChange",
    "PartnerUser",
    "ReferenceItem",
    "Sale",
    "StageChange",
    "TierBenefit",
    "TierChange",
    "Visit",
]
