"""The partners API: partners and their life cycle, visits, assessments, tiers, sales, deals."""
