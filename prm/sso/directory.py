"""The two reads of identity providers made before any tenant is known, and nothing else.

The sign-in page routes an e-mail's domain to the providers that serve it, and the protocol views
(``/sso/oidc/<id>/start/``, the callback, SAML's metadata and assertion consumer) find a provider by
its id; only then do they know its tenant and enter its scope. Both reads run in ``cross_tenant()``
(the operations connection) and answer active providers only; everything after runs in the
provider's tenant.
"""

from __future__ import annotations

from prm.tenancy.context import cross_tenant

from .models import IdentityProvider


def provider_by_id(provider_id, *, protocol: str | None = None) -> IdentityProvider | None:
    """The active provider ``provider_id`` (of ``protocol`` when given) with its tenant, or None."""
    try:
        provider_id = int(provider_id)
    except (TypeError, ValueError):
        return None
    with cross_tenant():
        providers = IdentityProvider.objects.filter(pk=provider_id, is_active=True).select_related("tenant")
        if protocol:
            providers = providers.filter(protocol=protocol)
        return providers.first()


def normalised_domain(email: str) -> str:
    """The lower-case domain of an address ("" when there is none)."""
    local, at, domain = (email or "").strip().rpartition("@")
    return domain.lower() if local and at else ""


def providers_for_email(email: str) -> list[IdentityProvider]:
    """The active providers that serve ``email``'s domain, by tenant name (one per tenant at most)."""
    domain = normalised_domain(email)
    if not domain:
        return []
    with cross_tenant():
        return list(
            IdentityProvider.objects.filter(is_active=True, email_domains__contains=[domain])
            .select_related("tenant")
            .order_by("tenant__name", "name")
        )
