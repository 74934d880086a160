"""Roles a member can hold in a tenant."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Tenant admin")
    CHANNEL_MANAGER = "channel_manager", _("Channel manager")
    REGIONAL_LEAD = "regional_lead", _("Regional lead")
    FINANCE = "finance", _("Finance")
    PARTNER = "partner", _("Partner user")


#: Everybody who works for the vendor (every role but partner).
STAFF_ROLES = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD, Role.FINANCE})
ALL_ROLES = frozenset(Role.values)
