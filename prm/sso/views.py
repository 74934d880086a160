"""The protocol-neutral pages of single sign-on: start by provider, the refusal page, find by e-mail."""

from __future__ import annotations

from functools import wraps

from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from .directory import normalised_domain, provider_by_id, providers_for_email

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


def form_action_to_providers(view):
    """Let the page's form lead to an identity provider: the site's CSP has ``form-action 'self'``,
    which browsers apply to every redirect after a form is submitted, and the company sign-in
    form's answer is a redirect that ends at the provider's origin (unknown before the e-mail is
    typed). This page only adds ``https:`` (and ``http:`` with ``PRM_SSO_ALLOW_PRIVATE_ADDRESSES``,
    for an on-premises provider) to its ``form-action``; its only form sends the e-mail to us."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        sources = ["https:", "http:"] if settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES else ["https:"]
        update = {"form-action": sources}
        return csp_update(update, REPORT_ONLY=True)(csp_update(update)(view))(request, *args, **kwargs)

    return wrapped


@form_action_to_providers
def find(request):
    """``/sso/find/``: an e-mail's domain routes to the active provider(s) serving it (by tenant name).

    One provider: straight to it. Several tenants' providers: a list by tenant name. None: say so,
    naming no tenant. Only providers that serve the domain are ever shown."""
    email = (request.POST.get("email") or request.GET.get("email") or "").strip()[:254]
    providers = providers_for_email(email) if email else []
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if len(providers) == 1:
        query = urlencode({"login_hint": email, **({"next": next_url} if next_url else {})})
        return redirect(f"{reverse('sso:start', kwargs={'provider_id': providers[0].pk})}?{query}")
    context = {
        "email": email,
        "providers": providers,
        "unknown": bool(email) and not providers,
        "invalid": bool(email) and not normalised_domain(email),
        "next": next_url,
    }
    return render(request, "sso/find.html", context, status=400 if context["invalid"] else 200)
