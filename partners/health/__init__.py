"""Partner health: the early-warning signals and their recompute."""
