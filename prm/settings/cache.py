"""The cache (rate limits): Redis when configured."""

from .base import env

# --- cache (rate limits; Redis when configured) ----------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL", default=""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
        # fail fast when Redis is down: callers degrade (rate limits allow, with a log line)
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
