"""Partners and everything the life cycle records about them."""

from partners.models.assessments import Assessment
from partners.models.benefits import TierBenefit
from partners.models.counts import PartnerCount
from partners.models.deals import DealRegistration, Sale
from partners.models.partner import Contact, Partner, PartnerUser, RelationshipChange, StageChange
from partners.models.reference import ReferenceItem
from partners.models.tiers import HealthChange, TierChange
from partners.models.visit_plans import VisitPlan
from partners.models.visits import Objection, ObjectionResponse, Visit

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
    "VisitPlan",
]
