"""A channel from partner to vendor (issue #35, part 2): requests, ideas and complaints.

A partner user raises one to its partner's channel manager (the partner's owner); the owner, a
regional lead or an admin answers in its thread. Each request is measured: the first answer's time
in business days against the programme's ``answer_within`` setting (``programme.py``), stored on the
row, and that measure is a vendor-side KPI source of the scorecards ("requests answered in time").

The app sits above partners and scorecards in the one-way order of apps: it imports them, they
never import it; it shows itself through their plug registries (``plugs.py``).
"""
