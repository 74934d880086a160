"""Inbound applications: a public form that creates a prospect and tells the region's manager."""

from __future__ import annotations

import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.choices import ReferenceKind, Source
from partners.lifecycle.moves import partner_create
from partners.models import Partner
from partners.reference.vocabularies import Vocabulary
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


#: the answers chosen from the tenant's lists, where "other" keeps the candidate's text for review
REVIEWED_FIELDS = {"region": ReferenceKind.REGION, "industry": ReferenceKind.INDUSTRY}


class TooManyApplications(ValidationError):
    pass


def application_lists(tenant) -> dict[str, list[str]]:
    """The tenant's active lists the public form offers as choices: ``{"region": [...], "industry": [...]}``
    (a kind without a list: ``[]``, free text). Read in the tenant's scope: no one is signed in."""
    with tenant_context(tenant):
        vocabulary = Vocabulary(tenant)
    return {
        name: [value for value, _label in vocabulary.choices(kind)] for name, kind in REVIEWED_FIELDS.items()
    }


def sort_answers(vocabulary: Vocabulary, fields: dict) -> tuple[dict, dict, list[str]]:
    """``(application's fields, prospect's fields, unlisted)``: a region or industry on the tenant's
    list in the list's spelling for both; one off the list kept as typed on the application, left
    empty on the prospect and named in ``unlisted`` for the reviewer. Competing lines off the list
    stay in the application's text only. Never a refusal: a candidate from an unlisted industry
    still applies."""
    application, prospect, unlisted = dict(fields), {}, []
    for name, kind in REVIEWED_FIELDS.items():
        text = " ".join((fields.get(name) or "").split())
        application[name] = text
        try:
            prospect[name] = vocabulary.canonical(kind, text)
        except ValidationError:
            prospect[name] = ""
            unlisted.append(name)
        else:
            application[name] = prospect[name]
    lines = [part.strip() for part in (fields.get("lines_carried") or "").split(",") if part.strip()]
    known = []
    for line in lines:
        try:
            known.append(vocabulary.canonical(ReferenceKind.COMPETING_LINE, line))
        except ValidationError:
            continue
    prospect["lines_carried"] = (
        ", ".join(known)
        if vocabulary.has(ReferenceKind.COMPETING_LINE)
        else (fields.get("lines_carried", ""))
    )
    return application, prospect, unlisted


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

    A region or industry off the tenant's lists is kept as the candidate typed it and flagged for
    review (``Application.unlisted``, ``sort_answers``); it never refuses the application.
    Public (no one is signed in): it runs in the tenant's scope itself.
    """
    with tenant_context(tenant):
        return _submit(tenant=tenant, ip=ip, **fields)


def _submit(*, tenant, ip: str | None, **fields) -> Application:
    _throttle(tenant, ip)
    fields, prospect, unlisted = sort_answers(Vocabulary(tenant), fields)
    managers = region_managers(tenant, prospect["region"])
    partner = partner_create(
        tenant=tenant,
        actor=None,
        name=fields["company"],
        region=prospect["region"],
        country=fields.get("country", "").upper()[:2],
        industry=prospect["industry"],
        lines_carried=prospect["lines_carried"],
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
    application = Application(tenant=tenant, partner=partner, ip_address=ip, unlisted=unlisted, **fields)
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
            "unlisted": application.unlisted,
            "message": application.message,
            "created_at": application.created_at,
        },
    )
    return application
