"""What notifications lets apps plug in, its categories (``notification_categories``), and what it
plugs in itself (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.plugs import Kind
from prm.portal.registry import NavItem
from prm.tenancy.choices import ALL_ROLES, Role

from .registry import Category, register_category

kinds = [Kind("notification_categories", Category, register_category)]

notification_categories = [Category("invitations", _("Invitations"))]

nav = [
    NavItem(
        "notifications",
        _("My notifications"),
        "notifications:preferences",
        ALL_ROLES,
        order=990,
        section="programme",
    ),
    NavItem(
        "sent_mail",
        _("Sent mail"),
        "notifications:sent-list",
        {Role.ADMIN},
        order=995,
        section="programme",
        also=("notifications:sent-detail",),
    ),
]
