"""The partner life cycle: the stages' gates, moving partners through them, assessments and visits, prospects imported."""
