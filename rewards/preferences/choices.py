from django.db import models
from django.utils.translation import gettext_lazy as _


class RewardKind(models.TextChoices):
    """The kinds of reward a partner may prefer (``RewardPreference.kinds``), and that catalogue
    items and contests may target (their ``for_preferences``)."""

    MONEY = "money", _("Money")
    POINTS = "points", _("Points")
    TRAINING = "training", _("Training")
    MARKETING = "marketing", _("Marketing help")
