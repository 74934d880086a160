"""Sign-in: backends, passwords, the login pages, the lockout of brute force."""

from .base import env

# --- auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
