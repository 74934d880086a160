"""A–D tiers: the rule, the recompute over the channel, moves and overrides, and what each tier gives."""
