"""Incentives: rules, payout runs and lines, MDF (built after scorecards)."""
