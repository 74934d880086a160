"""Price discipline (issue #35, part 4): a price list per product and currency with validity dates,
and per tier a discount band (the largest discount off the list price) and a minimum resale price.

A sale whose unit price (amount / quantity) is below its partner's tier minimum, and a deal
registration whose expected amount is below the list price less the tier's band, are flagged: as a
payout run warning (``checks.py``; the programme says whether such sales still earn incentives), on
the partner's page (``panels.py``), and as the ``price_breach`` health signal, an input to the
partner's integrity. Partner users see the list for their own tier only.

The app sits above incentives, scorecards and partners in the one-way order of apps: it imports them,
they never import it; it shows itself through their plug registries (``plugs.py``).
"""
