"""The incentives API: rules (versioned), what-if, payout runs and lines, exports, rates, MDF, points."""
