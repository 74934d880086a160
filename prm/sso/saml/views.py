"""The SAML pages: begin a sign-in, receive the IdP's answer, serve our metadata.

``start`` sends the browser to the IdP with a signed AuthnRequest (HTTP-Redirect binding) and
remembers the request (``outstanding``); the IdP POSTs its Response to ``acs``, which has
pysaml2 verify it, reads the user from it and hands over to the shared
``prm.sso.provisioning.sign_in``. Any refusal (a bad response, a domain the provider does not
serve, no group that maps) shows ``sso/refused.html`` with the reason, 403; the reason pysaml2
gave is logged, not shown.

The ACS is exempt from CSRF: it is a cross-site POST by design, and what stands in for the token
is the signed response, which must answer a request we sent in the last ten minutes, once.
"""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.metadata import create_metadata_string

from prm.sso.provisioning import SignInRefused, sign_in
from prm.sso.views import refused

from . import outstanding
from .attributes import sign_in_arguments
from .config import idp_entity_id, sp_config
from .lookup import with_provider
from .metadata import MetadataUnavailable

logger = logging.getLogger("prm.sso.saml")


def _next_url(request) -> str:
    candidate = request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False):
        return candidate
    return ""


@require_GET
@with_provider
def start(request, provider):
    """Send the browser to the provider's IdP with an AuthnRequest."""

    try:
        config = sp_config(provider)
        client = Saml2Client(config)
        request_id, http_info = client.prepare_for_authenticate(
            entityid=idp_entity_id(provider, config), binding=BINDING_HTTP_REDIRECT
        )
    except MetadataUnavailable as exc:
        return refused(request, str(exc))
    except Exception:
        logger.warning("SAML sign-in could not start for provider %s", provider.pk, exc_info=True)
        return refused(request, _("Sign-in with this identity provider is not set up correctly."))
    outstanding.remember(provider.pk, request_id, _next_url(request))
    return HttpResponseRedirect(dict(http_info["headers"])["Location"])


@csrf_exempt
@require_POST
@with_provider
def acs(request, provider):
    """The assertion consumer service: verify the IdP's Response and sign the user in."""

    saml_response = request.POST.get("SAMLResponse")
    if not saml_response:
        return refused(request, _("The identity provider sent no answer."))
    try:
        client = Saml2Client(sp_config(provider))
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding.Outstanding(provider.pk)
        )
    except MetadataUnavailable as exc:
        return refused(request, str(exc))
    except Exception as exc:
        logger.info("SAML response refused for provider %s: %s: %s", provider.pk, type(exc).__name__, exc)
        return refused(request, _("The identity provider's answer could not be accepted."))
    if response is None or not outstanding.consume(provider.pk, response.in_response_to):
        return refused(request, _("The identity provider's answer could not be accepted."))
    arguments = sign_in_arguments(provider, response.name_id, response.get_identity())
    if not arguments["subject"] or not arguments["email"]:
        return refused(request, _("The identity provider did not say who you are (no subject or e-mail)."))
    try:
        sign_in(request, provider, **arguments)
    except SignInRefused as exc:
        return refused(request, str(exc))
    return HttpResponseRedirect(response.came_from or resolve_url(settings.LOGIN_REDIRECT_URL))


@require_GET
@with_provider
def metadata(request, provider):
    """Our service provider metadata for this provider (entity id, ACS, certificate)."""

    xml = create_metadata_string(None, config=sp_config(provider, with_idp=False))
    return HttpResponse(xml, content_type="application/samlmetadata+xml")
