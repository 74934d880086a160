"""Partners' programme settings and their section of the programme page."""
