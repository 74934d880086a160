"""E-mails to a partner's users about their redemptions: approved, refused, or granted as a prize.

Sent through ``prm.notifications`` (category ``redemptions``, which each user may turn off) after
the commit, in the tenant's language.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from partners.selectors import partner_accounts
from prm.notifications import notify

from ..choices import RedemptionStatus


def _subject(redemption) -> str:
    names = {"id": redemption.pk, "item": redemption.item_name}
    if redemption.prize:
        return _("You were given a prize: %(item)s") % names
    if redemption.status == RedemptionStatus.REFUSED:
        return _("Redemption #%(id)d refused: %(item)s") % names
    return _("Redemption #%(id)d approved: %(item)s") % names


def tell_partner(redemption) -> int:
    """E-mail the redemption's partner's users its decision (or its grant); how many will get it."""
    tenant = redemption.tenant
    users = partner_accounts(tenant=tenant.pk, partner_ids=[redemption.partner_id]).get(
        redemption.partner_id, []
    )
    with translation.override(tenant.default_language):
        subject = _subject(redemption)
    return notify(
        tenant=tenant,
        users=users,
        category="redemptions",
        subject=subject,
        template="notifications/redemption_decided.txt",
        context={"redemption": redemption, "partner": redemption.partner},
    )
