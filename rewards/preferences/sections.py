"""The partner page's section of reward preferences (the manager reads what the partner prefers)."""

from .choices import RewardKind
from .selectors import preference_of


def preferences_section(tenant, partner) -> dict:
    """``reward_preferences``: the labels of the partner's preferred kinds in order, and who stated
    them when (None while unstated)."""
    preference = preference_of(partner)
    if preference is None or not preference.kinds:
        return {"reward_preferences": None}
    labels = dict(RewardKind.choices)
    return {
        "reward_preferences": {
            "kinds": [labels.get(k, k) for k in preference.kinds],
            "changed_at": preference.changed_at,
        }
    }
