"""Sign-in: backends, passwords, the login pages, the lockout of brute force."""

from .base import BASE_DIR, env

# --- auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # acts only on /sso/oidc/callback/ (the provider is set on the request there); prm/sso/oidc.py
    "prm.sso.oidc.ProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock out brute force on username + IP: five failures, thirty minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# ...and password spraying on the address alone: this many failed sign-ins from one
# address, whatever the usernames, refuse it for the same thirty minutes (prm/net.py).
PRM_SIGNIN_FAILURES_PER_ADDRESS = env.int("SIGNIN_FAILURES_PER_ADDRESS", default=20)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
PRM_PROXY_COUNT = env.int("PROXY_COUNT", default=0)  # trusted reverse proxies in front (prm/net.py)
AXES_IPWARE_PROXY_COUNT = PRM_PROXY_COUNT

# Two-factor sign-in (prm/twofactor): the name authenticator apps show, and the back-off after a
# wrong code: each wrong code in a row doubles the wait, starting at this many seconds.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="PRM")
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_THROTTLE_SECONDS", default=10)
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR

# --- Single sign-on (prm/sso/) ----------------------------------------------
# An identity provider's URLs the server fetches (OIDC discovery, JWKS, token, userinfo) must be
# https and resolve to public addresses (prm/sso/net.py); true allows http and private addresses
# (an on-premises identity provider, the tests' local provider).
PRM_SSO_ALLOW_PRIVATE_ADDRESSES = env.bool("PRM_SSO_ALLOW_PRIVATE_ADDRESSES", default=False)

# --- SAML single sign-on (prm/sso/saml/) --------------------------------------
# The service provider's key pair: PEM files an operator provides, or else generated once into
# SAML_SP_KEY_DIR and kept there (keep that folder: the identity providers trust its certificate).
SAML_SP_KEY_FILE = env("SAML_SP_KEY_FILE", default="")
SAML_SP_CERT_FILE = env("SAML_SP_CERT_FILE", default="")
SAML_SP_KEY_DIR = env("SAML_SP_KEY_DIR", default=str(BASE_DIR / ".saml"))
SAML_XMLSEC_BINARY = env("SAML_XMLSEC_BINARY", default="/usr/bin/xmlsec1")
SAML_ACCEPTED_TIME_DIFF = env.int("SAML_ACCEPTED_TIME_DIFF", default=60)  # seconds of clock skew
SAML_METADATA_CACHE_SECONDS = env.int("SAML_METADATA_CACHE_SECONDS", default=3600)
