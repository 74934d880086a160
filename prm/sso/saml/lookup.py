"""Which provider a SAML URL names, and the tenant its view then works in.

The URLs carry the provider's id only (they are registered at the IdP and cannot follow a tenant
switch), so the lookup crosses tenants (``prm.sso.directory.provider_by_id``: one active SAML
provider, nothing else); the view then runs inside that provider's tenant.
"""

import functools

from django.http import Http404

from prm.sso.directory import provider_by_id
from prm.tenancy.context import tenant_context


def with_provider(view):
    """Run ``view(request, provider)`` for the URL's active SAML provider (else 404), in its tenant."""

    @functools.wraps(view)
    def wrapped(request, provider_id: int):
        provider = provider_by_id(provider_id, protocol="saml")
        if provider is None:
            raise Http404
        with tenant_context(provider.tenant_id):
            return view(request, provider)

    return wrapped
