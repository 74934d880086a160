"""The pysaml2 service provider configuration of one ``IdentityProvider``.

Each provider is its own service provider towards its IdP: entity id
``<PRM_BASE_URL>/sso/saml/<id>/metadata/`` (where our metadata are served) and assertion
consumer service ``<PRM_BASE_URL>/sso/saml/<id>/acs/`` (HTTP-POST). ``PRM_BASE_URL`` rather
than the request's host, so the ids the IdP knows never depend on a Host header.

What pysaml2 then checks on every response: the assertion is signed by the IdP's key from its
metadata (``want_assertions_signed``), its audience is this entity id, it is within its
lifetime give or take ``SAML_ACCEPTED_TIME_DIFF`` seconds, it answers a request we sent
(no unsolicited responses) and it was sent to our ACS.
"""

from django.conf import settings
from django.urls import reverse
from saml2 import BINDING_HTTP_POST
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT

from .keys import key_pair
from .metadata import idp_metadata


def absolute(path: str) -> str:
    return f"{settings.PRM_BASE_URL}{path}"


def entity_id(provider) -> str:
    return absolute(reverse("sso:saml-metadata", args=[provider.pk]))


def acs_url(provider) -> str:
    return absolute(reverse("sso:saml-acs", args=[provider.pk]))


def sp_settings(provider, *, with_idp: bool = True) -> dict:
    """The pysaml2 configuration dictionary; ``with_idp=False`` leaves the IdP's metadata out
    (our own metadata can be served before the IdP's are known)."""

    key_file, cert_file = key_pair()
    return {
        "entityid": entity_id(provider),
        "name": provider.name,
        "service": {
            "sp": {
                "name": provider.name,
                "endpoints": {"assertion_consumer_service": [(acs_url(provider), BINDING_HTTP_POST)]},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "allow_unsolicited": False,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "authn_requests_signed": True,
                "want_assertions_or_response_signed": True,
            },
        },
        "metadata": {"inline": [idp_metadata(provider)]} if with_idp else {},
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "xmlsec_binary": settings.SAML_XMLSEC_BINARY,
        "accepted_time_diff": settings.SAML_ACCEPTED_TIME_DIFF,
        "allow_unknown_attributes": True,
    }


def sp_config(provider, *, with_idp: bool = True) -> SPConfig:
    return SPConfig().load(sp_settings(provider, with_idp=with_idp))


def idp_entity_id(provider, config: SPConfig) -> str:
    """The IdP's entity id: the provider's own field when set, else the metadata's only IdP."""

    if provider.entity_id:
        return provider.entity_id
    idps = list(config.metadata.identity_providers())
    if len(idps) != 1:
        raise ValueError("the metadata describe several identity providers: set the provider's entity id")
    return idps[0]
