"""Rewards people work for, above the money incentives (issue #34).

Three sub-apps, each its own Django app:

- ``rewards.catalogue``: the rewards catalogue, redeeming points, the points balance and expiry;
- ``rewards.contests``: contests over a period, their leaderboards and prizes;
- ``rewards.recognition``: awards per period and category, to a partner or one of its people;

and ``rewards.preferences``, what kind of reward a partner prefers (money, points, training,
marketing help), which catalogue items and contests may target. Loyalty bonuses over the long term
are incentive rule kinds (``incentives/rules/``).

Rewards sits above incentives in the one-way order of apps: it imports the apps below it, they
never import rewards (they show rewards' things through their plug registries).
"""
