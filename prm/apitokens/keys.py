"""The secret of a token: how it is made, hashed and recognised.

A secret is ``prm_`` and 40 lowercase hex digits (160 random bits). The 40 hex digits are what the
log formatter already masks (``prm.ops.logs.TOKEN``), so a secret pasted into a message never
reaches the logs; the ``prm_`` prefix tells a reader (and a secret scanner) what it is. Secrets
are random enough that a plain SHA-256 is the right hash: the lookup is one indexed equality.
Tokens of DRF's ``authtoken`` (40 hex digits without prefix), converted by migration 0002, are
hashed the same way and keep working until they end.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "prm_"
#: characters of the secret kept in clear: ``prm_`` and 8 hex digits
SHOWN = len(PREFIX) + 8


def new_secret() -> str:
    return PREFIX + secrets.token_hex(20)


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def prefix_of(secret: str) -> str:
    return secret[:SHOWN] if secret.startswith(PREFIX) else secret[:8]
