"""OpenID Connect with mozilla-django-oidc, configured per provider from the database.

mozilla-django-oidc reads its configuration from global settings through each class's
``get_settings`` hook; here that hook answers from the ``IdentityProvider`` being used and from its
discovery document (fetched once, cached). The library does the protocol: the authorization request
with state, nonce and PKCE, the code exchange, the userinfo call; its ID token check is tightened to
RS256 against the provider's JWKS, this client as audience, the discovery's issuer and an unexpired
token. The provider's id travels in the session beside the state and nonce, so one callback URL
(``/sso/oidc/callback/``) serves every provider of every tenant.

Every URL the server fetches (the discovery document, then its JWKS, token and userinfo endpoints)
goes through ``net.fetch_provider_url``: https, public addresses only, pinned to the address checked.

``ProviderBackend`` (in ``AUTHENTICATION_BACKENDS``) acts only on a request the callback marked with
its provider; a password sign-in never reaches it. It hands what the provider said to
``provisioning.sign_in``.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .directory import provider_by_id
from .models import IdentityProvider
from .net import ProviderURLRefused, check_provider_url, fetch_provider_url
from .provisioning import SignInRefused, sign_in
from .views import refused

logger = logging.getLogger(__name__)

#: how long a provider's discovery document is kept
DISCOVERY_SECONDS = 3600
TIMEOUT_SECONDS = 10
SIGN_ALGO = "RS256"
#: the request attribute the callback sets; the backend acts only when it is there
REQUEST_PROVIDER = "_prm_sso_oidc_provider"
#: seconds of clock difference allowed between the provider and us
LEEWAY_SECONDS = 60


class DiscoveryError(Exception):
    """The provider's discovery document could not be read or lacks an endpoint."""


def discovery(provider: IdentityProvider, *, fresh: bool = False) -> dict:
    """The provider's OpenID configuration (issuer and endpoints), cached ``DISCOVERY_SECONDS``."""
    url = provider.discovery_url
    key = "sso:oidc:discovery:" + hashlib.sha256(url.encode()).hexdigest()
    document = None if fresh else cache.get(key)
    if document is None:
        try:
            response = fetch_provider_url(url, field="discovery_url", timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except ProviderURLRefused as exc:
            raise DiscoveryError(" ".join(exc.messages)) from exc
        except (requests.RequestException, ValueError) as exc:
            raise DiscoveryError(str(exc)[:300]) from exc
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(document, dict) or any(not document.get(k) for k in needed):
            raise DiscoveryError(_("The discovery document lacks an issuer or an endpoint."))
        _check_endpoints(document)
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def _check_endpoints(document: dict) -> None:
    """The endpoints the server will fetch must pass the same rule as the discovery URL (checked
    again, pinned, at each fetch); a refused one makes the whole document unusable."""
    for name in ("token_endpoint", "jwks_uri", "userinfo_endpoint"):
        if name == "userinfo_endpoint" and not document.get(name):
            continue
        try:
            check_provider_url(str(document[name]), name)
        except ProviderURLRefused as exc:
            raise DiscoveryError(
                _("The discovery document's %(name)s is refused: %(why)s")
                % {"name": name, "why": " ".join(exc.messages)}
            ) from exc


def provider_settings(provider: IdentityProvider) -> dict:
    """What mozilla-django-oidc would read from settings, for this provider."""
    config = discovery(provider)
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": config["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": config["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": config.get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": config["jwks_uri"],
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SIGN_ALGO": SIGN_ALGO,
        "OIDC_RP_SCOPES": provider.scopes or "openid email profile",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": TIMEOUT_SECONDS,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:oidc-callback",
        "OIDC_REDIRECT_FIELD_NAME": "next",
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
    }


class _PerProvider:
    """``get_settings`` answered from ``self.provider_config``, then from Django's settings."""

    provider_config: dict = {}

    def get_settings(self, attr, *args):
        if attr in self.provider_config:
            return self.provider_config[attr]
        return import_from_settings(attr, *args)


class ProviderBackend(_PerProvider, OIDCAuthenticationBackend):
    """Signs in the person an OIDC provider vouched for, through ``provisioning.sign_in``."""

    def __init__(self, *args, **kwargs):
        # configured per call in ``authenticate``; with no provider the backend does nothing
        self.provider = None

    def authenticate(self, request, nonce=None, code_verifier=None):
        provider = getattr(request, REQUEST_PROVIDER, None) if request is not None else None
        if provider is None:
            return None
        self.provider = provider
        self.issuer = discovery(provider)["issuer"]
        self.provider_config = provider_settings(provider)
        super().__init__()
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def _verify_jws(self, payload, key):
        """The library's check, tightened: RS256 only, our audience, the issuer, not expired."""
        try:
            if jwt.get_unverified_header(payload).get("alg") != SIGN_ALGO:
                raise SuspiciousOperation("ID token not signed with RS256")
            return jwt.decode(
                payload,
                key,
                algorithms=[SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def retrieve_matching_jwk(self, token):
        """The signing key from the provider's JWKS: the one with the token's ``kid`` (and ``alg``
        when the key names one); a token without ``kid`` needs a JWKS of one RSA key."""
        response = fetch_provider_url(self.OIDC_OP_JWKS_ENDPOINT, field="jwks_uri", timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        keys = [
            k
            for k in response.json().get("keys", [])
            if k.get("kty") == "RSA" and k.get("use", "sig") == "sig"
        ]
        header = jwt.get_unverified_header(token)
        if "kid" in header:
            keys = [
                k
                for k in keys
                if k.get("kid") == str(header["kid"]) and k.get("alg", header.get("alg")) == header.get("alg")
            ]
            if not keys:
                raise SuspiciousOperation("Could not find a valid JWKS.")
            return jwt.PyJWK(keys[-1])
        if len(keys) != 1:
            raise SuspiciousOperation("ID token without kid and no single RSA key to check it with")
        return jwt.PyJWK(keys[0])

    def get_token(self, payload):
        """The token endpoint's answer to the code (the client authenticates in the body)."""
        response = fetch_provider_url(
            self.OIDC_OP_TOKEN_ENDPOINT,
            method="POST",
            field="token_endpoint",
            data=payload,
            timeout=TIMEOUT_SECONDS,
        )
        self.raise_token_response_error(response)
        return response.json()

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo endpoint's claims (JSON, or a JWT checked like the ID token)."""
        response = fetch_provider_url(
            self.OIDC_OP_USER_ENDPOINT,
            field="userinfo_endpoint",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            return self.verify_token(response.text)
        return response.json()

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, ValueError) as exc:  # no kid, a malformed token or key
            raise SuspiciousOperation(f"ID token refused: {exc!r}") from exc

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SignInRefused(_("The identity provider's answers do not agree on who you are."))
            claims = {**userinfo, **payload}
        groups = claims.get(self.provider.groups_claim) or []
        if isinstance(groups, str):
            groups = [groups]
        return sign_in(
            self.request,
            self.provider,
            subject=str(payload["sub"]),
            email=str(claims.get("email") or ""),
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
            groups=[str(g) for g in groups if isinstance(g, str | int)],
        )

    def get_user(self, user_id):
        return None  # sessions are reloaded by ModelBackend (see provisioning.SESSION_BACKEND)


class StartView(_PerProvider, OIDCAuthenticationRequestView):
    """``/sso/oidc/<provider id>/start/``: to the provider's authorization endpoint."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request, provider_id):
        provider = provider_by_id(provider_id, protocol=IdentityProvider.Protocol.OIDC)
        if provider is None:
            raise Http404
        try:
            self.provider_config = provider_settings(provider)
        except DiscoveryError:
            logger.warning("OIDC discovery failed for provider %s", provider.pk, exc_info=True)
            return refused(
                request, _("Your company's sign-in cannot be reached; try again later."), status=502
            )
        self.OIDC_OP_AUTH_ENDPOINT = self.provider_config["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        request.session["oidc_states"][state]["provider"] = provider.pk
        request.session.modified = True
        return response

    def get_extra_params(self, request):
        hint = request.GET.get("login_hint", "")[:254]
        return {"login_hint": hint} if hint else {}


class CallbackView(OIDCAuthenticationCallbackView):
    """``/sso/oidc/callback/``: the provider named beside the state signs the person in, or the
    refusal page says why (403)."""

    provider = None

    def get(self, request):
        state = request.GET.get("state", "")
        entry = (request.session.get("oidc_states") or {}).get(state) or {}
        self.provider = provider_by_id(entry.get("provider"), protocol=IdentityProvider.Protocol.OIDC)
        if self.provider is None:
            return refused(request, _("This sign-in has expired or was not started here; start again."))
        setattr(request, REQUEST_PROVIDER, self.provider)
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return refused(request, refusal.message)
        except (SuspiciousOperation, requests.RequestException, DiscoveryError, ProviderURLRefused):
            logger.warning("OIDC answer refused for provider %s", self.provider.pk, exc_info=True)
            return refused(request, _("The identity provider's answer could not be accepted."))

    def login_failure(self):
        return refused(self.request, _("The identity provider did not sign you in."))

    @property
    def success_url(self):
        next_url = self.request.session.get("oidc_login_next")
        return next_url or reverse("portal:dashboard", kwargs={"tenant": self.provider.tenant.slug})

    def login_success(self):
        # provisioning.sign_in has logged the user in already
        return HttpResponseRedirect(self.success_url)
