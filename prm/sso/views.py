"""The protocol-neutral pages of single sign-on: start by provider, the refusal page, find by e-mail."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from .directory import provider_by_id

#: the URL name (in the ``sso`` namespace) of each protocol's start view; it takes ``provider_id``
START_URL_NAMES = {"oidc": "sso:oidc-start", "saml": "sso:saml-start"}


def public_urls(provider, request=None) -> dict:
    """What a tenant admin gives the identity provider, and the link that starts a sign-in."""

    def absolute(name: str) -> str:
        path = reverse(name, kwargs={"provider_id": provider.pk} if name != "sso:oidc-callback" else None)
        return request.build_absolute_uri(path) if request is not None else path

    urls = {"start": absolute("sso:start")}
    try:
        if provider.protocol == "oidc":
            urls["redirect_uri"] = absolute("sso:oidc-callback")
        else:
            urls["metadata"] = absolute("sso:saml-metadata")
            urls["acs"] = absolute("sso:saml-acs")
    except NoReverseMatch:
        pass
    return urls


def refused(request, message: str, *, status: int = 403):
    """The refusal page in the portal's frame: why the provider's person may not sign in."""
    return render(request, "sso/refused.html", {"message": message}, status=status)


def start(request, provider_id: int):
    """Send the browser to the provider's own start view (its protocol's), keeping ``next``."""
    provider = provider_by_id(provider_id)
    if provider is None:
        raise Http404
    try:
        url = reverse(START_URL_NAMES[provider.protocol], kwargs={"provider_id": provider.pk})
    except (KeyError, NoReverseMatch):
        raise Http404 from None
    query = {k: request.GET[k] for k in ("next", "login_hint") if request.GET.get(k)}
    return redirect(f"{url}?{urlencode(query)}" if query else url)
