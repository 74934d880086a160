"""SAML 2.0 sign-in per identity provider, with pysaml2 (the OIDC side lives beside, in prm.sso).

- ``keys``: the service provider's key pair (settings, or generated once for the demo/tests);
- ``metadata``: the identity provider's metadata (pasted, or fetched from its URL and cached);
- ``config``: the pysaml2 ``SPConfig`` of one ``IdentityProvider`` (its entity id, ACS, checks);
- ``outstanding``: the AuthnRequests sent and not yet answered, in the cache, used once;
- ``attributes``: what a verified assertion says about the user, for ``provisioning.sign_in``;
- ``views``/``urls``: ``/sso/saml/<provider id>/start/``, ``acs/`` and ``metadata/``.

No XML or signature is handled here by hand: pysaml2 builds the requests and verifies the
responses (signature with xmlsec1, audience, lifetime, InResponseTo, destination).
"""
