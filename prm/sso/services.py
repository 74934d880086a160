"""Adding and changing a tenant's identity providers: checked, saved and audited in one transaction.

What is checked: the protocol's own fields (OIDC: discovery URL, client id, and a client secret when
the provider is new; SAML: metadata by URL or XML), e-mail domains (lower-cased; one domain routes
to one active provider of the tenant), the group mapping (staff roles, or ``partner`` for a partner's
own provider), the partner (one of the tenant's), and the URLs the server will fetch (the discovery
URL, the metadata URL) when they are new or changed: https and public addresses only
(``net.check_provider_url``, lifted by ``PRM_SSO_ALLOW_PRIVATE_ADDRESSES``). The client secret is
write-only: an empty value on update keeps the stored one, and the audit trail only says that it
changed.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.events import audit_record
from prm.tenancy.access import partner_directory
from prm.tenancy.choices import STAFF_ROLES, Role

from .audit_actions import SsoAudit
from .models import IdentityProvider
from .net import ProviderURLRefused, check_provider_url

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
#: the fields a tenant admin sets (the API and the page take the same)
FIELDS = (
    "name",
    "protocol",
    "is_active",
    "email_domains",
    "discovery_url",
    "client_id",
    "client_secret",
    "scopes",
    "metadata_url",
    "metadata_xml",
    "entity_id",
    "groups_claim",
    "role_mapping",
    "partner_id",
)
SECRET_FIELDS = {"client_secret"}


def clean_domains(domains) -> list[str]:
    if isinstance(domains, str):
        domains = re.split(r"[\s,]+", domains)
    cleaned = list(dict.fromkeys(d.strip().lower().lstrip("@") for d in domains or [] if d and d.strip()))
    bad = [d for d in cleaned if not DOMAIN.match(d)]
    if bad:
        raise ValidationError({"email_domains": [_("Not a domain: %(d)s") % {"d": ", ".join(bad)}]})
    if not cleaned:
        raise ValidationError({"email_domains": [_("Name at least one e-mail domain.")]})
    return cleaned


def _check_urls(provider: IdentityProvider, before: dict, errors: dict) -> None:
    """The fetched URLs, new or changed, against the address rule (errors named by field)."""
    oidc = provider.protocol == IdentityProvider.Protocol.OIDC
    fields = ["discovery_url"] if oidc else ["metadata_url"]
    for field in fields:
        url = getattr(provider, field)
        if url and url != before.get(field) and field not in errors:
            try:
                check_provider_url(url, field)
            except ProviderURLRefused as exc:
                errors.update(exc.message_dict)


def _check(provider: IdentityProvider, *, new: bool, before: dict | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        for field in ("discovery_url", "client_id") + (("client_secret",) if new else ()):
            if not getattr(provider, field):
                errors[field] = [_("OpenID Connect needs this.")]
    elif provider.protocol == IdentityProvider.Protocol.SAML:
        if not (provider.metadata_url or provider.metadata_xml):
            errors["metadata_url"] = [_("Give the identity provider's metadata URL or its XML.")]
    else:
        errors["protocol"] = [_("Choose OpenID Connect or SAML 2.0.")]
    _check_urls(provider, before or {}, errors)
    mapping = provider.role_mapping
    allowed = {Role.PARTNER} if provider.partner_id is not None else STAFF_ROLES
    if not isinstance(mapping, dict) or any(
        not isinstance(g, str) or not g or r not in allowed for g, r in mapping.items()
    ):
        roles = ", ".join(sorted(allowed))
        errors["role_mapping"] = [
            _('Map each group to one of: %(roles)s, as {"group": "role"}.') % {"roles": roles}
        ]
    if provider.partner_id is not None and not (
        partner_directory().partners(provider.tenant).filter(pk=provider.partner_id).exists()
    ):
        errors["partner_id"] = [_("No such partner in this tenant.")]
    if provider.is_active:
        others = (
            IdentityProvider.objects.for_tenant(provider.tenant)
            .filter(is_active=True)
            .exclude(pk=provider.pk)
        )
        taken = sorted({d for other in others for d in other.email_domains} & set(provider.email_domains))
        if taken:
            errors["email_domains"] = [_("Another active provider serves: %(d)s") % {"d": ", ".join(taken)}]
    if errors:
        raise ValidationError(errors)


def _changes(before: dict, provider: IdentityProvider) -> dict:
    changes = {}
    for field in FIELDS:
        old, new = before.get(field), getattr(provider, field)
        if old != new:
            changes[field] = ["…", "…"] if field in SECRET_FIELDS else [old, new]
    return changes


@transaction.atomic
def provider_create(*, tenant, actor, **fields) -> IdentityProvider:
    fields = {k: v for k, v in fields.items() if k in FIELDS}
    fields["email_domains"] = clean_domains(fields.get("email_domains"))
    provider = IdentityProvider(tenant=tenant, **fields)
    _check(provider, new=True)
    provider.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=SsoAudit.PROVIDER_CREATED,
        target=provider,
        changes=_changes({}, provider),
    )
    return provider


@transaction.atomic
def provider_update(*, provider: IdentityProvider, actor, **fields) -> IdentityProvider:
    before = {field: getattr(provider, field) for field in FIELDS}
    for field, value in fields.items():
        if field not in FIELDS or (field in SECRET_FIELDS and not value):
            continue  # an empty secret keeps the stored one
        setattr(provider, field, clean_domains(value) if field == "email_domains" else value)
    _check(provider, new=False, before=before)
    changes = _changes(before, provider)
    if changes:
        provider.save()
        audit_record(
            tenant=provider.tenant,
            actor=actor,
            action=SsoAudit.PROVIDER_CHANGED,
            target=provider,
            changes=changes,
        )
    return provider
