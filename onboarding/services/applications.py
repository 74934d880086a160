"""Inbound applications: a public form that creates a prospect and tells the region's manager."""

from __future__ import annotations

import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.choices import Source
from partners.lifecycle.moves import partner_create
from partners.models import Partner
from prm.net import over_limit
from prm.notifications import notify
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership
from prm.webhooks.events import emit

from ..models import Application

logger = logging.getLogger(__name__)

#: Applications accepted from one address per hour, per tenant.
RATE_LIMIT = 5
WINDOW_SECONDS = 3600


class TooManyApplications(ValidationError):
    pass


def _throttle(tenant, ip: str | None) -> None:
    if over_limit(f"applications:{tenant.pk}:{ip or 'unknown'}", RATE_LIMIT, WINDOW_SECONDS):
        raise TooManyApplications(
            {"detail": [_("Too many applications from your address; try again in an hour.")]}
        )


def region_managers(tenant, region: str) -> list:
    """The channel managers who own most partners in the region; every channel manager otherwise."""
    owners = Counter(
        Partner.objects.for_tenant(tenant)
        .filter(region__iexact=region, owner__isnull=False)
        .values_list("owner_id", flat=True)
    )
    managers = Membership.objects.filter(
        tenant=tenant, role=Role.CHANNEL_MANAGER, is_active=True
    ).select_related("user")
    users = {m.user_id: m.user for m in managers}
    ranked = [users[uid] for uid, _n in owners.most_common() if uid in users]
    return ranked[:1] or list(users.values())


@transaction.atomic
def application_submit(*, tenant, ip: str | None, **fields) -> Application:
    """Record the application, create the inbound prospect, e-mail the region's channel manager.

    Public (no one is signed in): it runs in the tenant's scope itself.
    """
    with tenant_context(tenant):
        return _submit(tenant=tenant, ip=ip, **fields)


def _submit(*, tenant, ip: str | None, **fields) -> Application:
    _throttle(tenant, ip)
    managers = region_managers(tenant, fields.get("region", ""))
    partner = partner_create(
        tenant=tenant,
        actor=None,
        name=fields["company"],
        region=fields.get("region", ""),
        country=fields.get("country", "").upper()[:2],
        industry=fields.get("industry", ""),
        lines_carried=fields.get("lines_carried", ""),
        source=Source.INBOUND,
        owner=managers[0] if managers else None,
        contacts=[
            {
                "name": fields["contact_name"],
                "email": fields["email"],
                "phone": fields.get("phone", ""),
                "is_primary": True,
            }
        ],
    )
    application = Application(tenant=tenant, partner=partner, ip_address=ip, **fields)
    application.full_clean(exclude=["tenant", "partner"])
    application.save()
    notify(
        tenant=tenant,
        users=managers,
        category="applications",
        subject=_("New partner application: %(c)s") % {"c": application.company},
        template="notifications/application.txt",
        context={"application": application, "partner": partner},
    )
    emit(
        tenant=tenant,
        name="application.received",
        data={
            "id": application.pk,
            "partner": partner.pk,
            "company": application.company,
            "contact_name": application.contact_name,
            "email": application.email,
            "phone": application.phone,
            "region": application.region,
            "country": application.country,
            "industry": application.industry,
            "message": application.message,
            "created_at": application.created_at,
        },
    )
    return application
