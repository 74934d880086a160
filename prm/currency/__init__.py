"""Money in the tenant's currency: the exchange-rate table and the conversion of sales with it.

A lower module of the core: tiers (partners), scorecards and payout runs (incentives) all import it,
and it imports none of them. Finance keeps the table through incentives' pages and API.
"""
