"""What a verified SAML assertion says about the user, in the words ``provisioning.sign_in`` takes.

The subject is the assertion's NameID (persistent, ideally): the link to our user is kept by
subject, so a changed e-mail at the IdP does not make a second user. The e-mail, names and
groups are read under the names IdPs commonly use (pysaml2 has already turned the standard OIDs
into their friendly names: ``mail``, ``givenName``, ``sn``); the groups under the provider's
``groups_claim`` (``groups`` by default).
"""

EMAIL = (
    "mail",
    "email",
    "emailAddress",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
)
FIRST_NAME = ("givenName", "first_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname")
LAST_NAME = ("sn", "surname", "last_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname")
NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


def _first(identity: dict, names: tuple[str, ...]) -> str:
    for name in names:
        values = identity.get(name) or []
        if values and str(values[0]).strip():
            return str(values[0]).strip()
    return ""


def sign_in_arguments(provider, name_id, identity: dict) -> dict:
    """``subject``, ``email``, names and ``groups`` for ``sign_in(request, provider, **...)``."""

    subject = (name_id.text or "").strip() if name_id is not None else ""
    email = _first(identity, EMAIL)
    if not email and name_id is not None and name_id.format == NAMEID_EMAIL:
        email = subject
    groups_name = provider.groups_claim or "groups"
    groups = [str(value) for value in identity.get(groups_name) or [] if str(value).strip()]
    return {
        "subject": subject,
        "email": email.lower(),
        "first_name": _first(identity, FIRST_NAME),
        "last_name": _first(identity, LAST_NAME),
        "groups": groups,
    }
