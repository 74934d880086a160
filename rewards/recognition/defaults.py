"""The award categories a tenant starts with (it may rename, add and switch off categories)."""

from django.utils import translation
from django.utils.translation import gettext as _

from .models import AwardCategory


def _defaults():
    return [
        (_("Partner of the year"), _("The partner whose year stood out across the programme.")),
        (_("Best newcomer"), _("The best first year of a partner new to the programme.")),
        (_("Service excellence"), _("Customers served beyond what was asked.")),
    ]


def ensure_award_categories(tenant) -> None:
    """Give ``tenant`` the three starting categories, in its language, unless it has categories."""
    if AwardCategory.objects.for_tenant(tenant).exists():
        return
    with translation.override(tenant.default_language):
        rows = [
            AwardCategory(tenant=tenant, name=name, description=description, position=i)
            for i, (name, description) in enumerate(_defaults())
        ]
    AwardCategory.objects.for_tenant(tenant).bulk_create(rows)
