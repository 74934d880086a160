"""Refused ID tokens: the callback answers 403 and signs nobody in when the token is for another
client, expired, unsigned (alg none) or signed by a key not in the provider's JWKS."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from prm.tenancy.models import Membership

from .conftest import CLIENT_ID, make_provider

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "operations"])

ISSUER = "https://idp.test"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks():
    public = RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
    return {"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]}


def claims(nonce, **overrides):
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "idp|zoe",
        "email": "zoe@alpha.example",
        "groups": ["prm-admins"],
        "iat": now,
        "exp": now + 300,
        "nonce": nonce,
        **overrides,
    }


def signed(payload, key=KEY, alg="RS256"):
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": "k1"})


def unsigned(payload):
    return jwt.encode(payload, None, algorithm="none")


def walk(client, provider, make_token):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(
            f"{ISSUER}/.well-known/openid-configuration",
            json={
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/authorize",
                "token_endpoint": f"{ISSUER}/token",
                "jwks_uri": f"{ISSUER}/jwks",
            },
        )
        mock.get(f"{ISSUER}/jwks", json=jwks())
        start = client.get(f"/sso/oidc/{provider.pk}/start/")
        state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
        nonce = client.session["oidc_states"][state]["nonce"]
        mock.post(f"{ISSUER}/token", json={"id_token": make_token(nonce), "access_token": "at"})
        return client.get("/sso/oidc/callback/", {"code": "c", "state": state})


@pytest.fixture
def provider(tenant):
    return make_provider(tenant, ISSUER)


def test_a_good_token_signs_in(provider, client, tenant):
    response = walk(client, provider, lambda nonce: signed(claims(nonce)))
    assert response.status_code == 302
    assert Membership.objects.for_tenant(tenant).filter(user__email="zoe@alpha.example").exists()


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda n: signed(claims(n, aud="another-client")), id="wrong audience"),
        pytest.param(lambda n: signed(claims(n, iat=1, exp=2)), id="expired"),
        pytest.param(lambda n: unsigned(claims(n)), id="unsigned"),
        pytest.param(lambda n: signed(claims(n), key=OTHER_KEY), id="another key"),
        pytest.param(lambda n: signed(claims(n, iss="https://evil.test")), id="another issuer"),
        pytest.param(lambda n: signed(claims("not-the-nonce")), id="replayed nonce"),
    ],
)
def test_a_refused_token_signs_nobody_in(provider, client, tenant, make_token):
    response = walk(client, provider, make_token)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.for_tenant(tenant).exists()
