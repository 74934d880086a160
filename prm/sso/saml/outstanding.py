"""The AuthnRequests we sent and that wait for their answer, kept in the cache for ten minutes.

The answer comes back as a POST from the IdP's site, which browsers send without our session
cookie (SameSite=Lax), so the requests are not kept in the session but in the cache, under the
provider and the request's id. pysaml2 reads them as its ``outstanding`` mapping (a response
must answer one of them); ``consume`` then removes the request, so a response is accepted once.
"""

from collections.abc import Mapping

from django.core.cache import cache

LIFETIME_SECONDS = 600


def _key(provider_id: int, request_id: str) -> str:
    return f"sso:saml:outstanding:{provider_id}:{request_id}"


def remember(provider_id: int, request_id: str, next_url: str) -> None:
    cache.set(_key(provider_id, request_id), next_url or "", LIFETIME_SECONDS)


def consume(provider_id: int, request_id: str | None) -> bool:
    """Forget the request; False when it was not waiting (already answered, or never sent)."""

    return bool(request_id) and bool(cache.delete(_key(provider_id, request_id)))


class Outstanding(Mapping):
    """The waiting requests of one provider, as the mapping pysaml2 looks ``InResponseTo`` up in
    (request id -> where the user goes after signing in)."""

    def __init__(self, provider_id: int):
        self.provider_id = provider_id

    def __getitem__(self, request_id):
        value = cache.get(_key(self.provider_id, request_id))
        if value is None:
            raise KeyError(request_id)
        return value

    def __contains__(self, request_id):
        return cache.get(_key(self.provider_id, request_id)) is not None

    def __iter__(self):
        return iter(())  # not listable; pysaml2 only looks ids up (and logs the keys)

    def __len__(self):
        return 0

    def __bool__(self):
        return True  # pysaml2 replaces a falsy mapping by {}
