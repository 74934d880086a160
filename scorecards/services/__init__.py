"""Use cases that write scorecards' data."""
