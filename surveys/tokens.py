"""The links of survey e-mails: ``/survey/<token>/``, a token signed with the project's key.

A token is ``signing.dumps([kind, tenant id, invitation id, nonce])`` under its own salt: changing
any part breaks the signature (404), and the nonce must be the invitation's own, so an invitation's
link cannot be made from another's id. Single use and expiry are the invitation's (its
``answered_at`` and ``expires_on``), answered 410 by the page.
"""

from __future__ import annotations

import secrets

from django.core import signing

SALT = "prm.surveys.link"
CUSTOMER, PARTNER = "c", "p"


def new_nonce() -> str:
    return secrets.token_hex(16)


def make_token(kind: str, invitation) -> str:
    return signing.dumps(
        [kind, invitation.tenant_id, invitation.pk, invitation.nonce], salt=SALT, compress=True
    )


def read_token(token: str) -> tuple[str, int, int, str] | None:
    """``(kind, tenant id, invitation id, nonce)``, or None for a token that is not one of ours."""
    try:
        kind, tenant_id, pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in (CUSTOMER, PARTNER) or not isinstance(tenant_id, int) or not isinstance(pk, int):
        return None
    return kind, tenant_id, pk, str(nonce)
