"""Scorecards: KPI definitions, targets and computed scorecards (built next)."""
