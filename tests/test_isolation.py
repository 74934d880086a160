"""The isolation walker: every tenant-scoped URL, API and portal, proves it is fenced in.

It enumerates the URL patterns that take a ``tenant`` and, for each:
- an anonymous caller gets 401 (API) or a redirect to login (pages);
- a member of another tenant gets 404 for every method, on the URL itself
  and, with a ``pk``, for an object of the other tenant under their own slug;
- a partner user gets 404 for another partner's object;
- the owning tenant's admin does reach its own objects (so the 404s mean
  something).
A new endpoint is walked without anyone editing this file; one whose ``pk``
model cannot be found, or that has no factory, fails here.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.views import APIView

from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.choices import Role

from .factories import ContactFactory, DeliveryFactory, PartnerFactory, make_object

METHODS = ["get", "post", "put", "patch", "delete"]


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: frozenset
    view: type
    methods: tuple
    is_api: bool
    #: An own object with nothing to show yet (a job's file before it is made) answers 404 too.
    empty_is_404: bool = False
    #: (method, viewset action) pairs of an API viewset route
    actions: tuple = ()

    def capability(self, method: str):
        """What the view says the caller needs for ``method`` here."""
        return self.view.capability_for(method.upper(), dict(self.actions).get(method))

    @property
    def model(self):
        return getattr(self.view, "model", None)

    def url(self, **kwargs):
        return reverse(self.name, kwargs=kwargs)


def _walk(patterns, namespace="", kwargs=frozenset()):
    for entry in patterns:
        names = kwargs | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, child_ns, frozenset(names))
        elif isinstance(entry, URLPattern) and "tenant" in names and entry.name:
            route = _route(entry, namespace, frozenset(names))
            if not getattr(route.view, "public", False):  # e.g. applications/: open to everyone by design
                yield route


def _route(entry, namespace, names):
    callback = entry.callback
    name = f"{namespace}:{entry.name}".lstrip(":")
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is None:
        raise AssertionError(f"{name}: tenant pages must be class-based views with scoping")
    if getattr(callback, "actions", None):
        allowed = getattr(view, "http_method_names", METHODS)
        methods = tuple(m for m in METHODS if m in callback.actions and m in allowed)
    else:
        allowed = getattr(view, "http_method_names", METHODS)
        methods = tuple(m for m in METHODS if m in allowed and hasattr(view, m))
    is_api = isinstance(view, type) and issubclass(view, APIView)
    handler = getattr(view, (getattr(callback, "actions", None) or {}).get("get", ""), None)
    empty = getattr(view, "empty_is_404", False) or getattr(handler, "empty_is_404", False)
    actions = tuple(sorted((getattr(callback, "actions", None) or {}).items()))
    return Route(name, names, view, methods, is_api, empty, actions)


ROUTES = sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)
OBJECT_ROUTES = [r for r in ROUTES if "pk" in r.kwargs]


def _ids(routes):
    return [f"{r.name}[{','.join(r.methods)}]" for r in routes]


def test_the_walker_finds_the_api_and_the_portal():
    names = {r.name for r in ROUTES}
    assert {"api:me", "api:member-list", "api:job-detail", "portal:dashboard"} <= names
    assert all(set(r.kwargs) <= {"tenant", "pk", *FILLERS} for r in ROUTES), (
        "a route takes a kwarg the walker cannot fill; teach test_isolation about it"
    )


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_ids(OBJECT_ROUTES))
def test_object_routes_name_their_model(route):
    assert route.model is not None, f"{route.view.__name__} needs a `model` attribute"


@pytest.fixture
def world(tenant, other_tenant, member):
    """Tenant A with an admin; tenant B with an admin (the intruder)."""
    return {
        "a": tenant,
        "b": other_tenant,
        "a_admin": member(tenant, Role.ADMIN),
        "b_admin": member(other_tenant, Role.ADMIN),
    }


def _call(client, method, url):
    return (
        getattr(client, method)(url, data={}, format="json")
        if hasattr(client, "force_authenticate")
        else getattr(client, method)(url)
    )


def _client(route, api, client, user):
    if route.is_api:
        return api(user)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _contact_of(partner):

    return ContactFactory(tenant=partner.tenant, partner=partner).pk if partner is not None else 999999


def _delivery_of(endpoint):

    return DeliveryFactory(tenant=endpoint.tenant, endpoint=endpoint).pk if endpoint is not None else 999999


#: kwargs other than tenant and pk, and how to fill them: from the pk's object (a sub-object of it)
#: or with a fixed value (a type of thing, not an object)
FILLERS = {
    "contact_id": _contact_of,  # partners/{pk}/contacts/{contact_id}/: a contact of that partner
    "type": lambda obj: "price",  # playbook/{type}/: an objection type
    "delivery_id": _delivery_of,  # webhooks/{pk}/deliveries/{delivery_id}/redeliver/: a delivery of that endpoint
}


def _kwargs(route, tenant_slug, obj=None):
    kwargs = {"tenant": tenant_slug}
    if "pk" in route.kwargs:
        kwargs["pk"] = obj.pk if obj is not None else 999999
    for name, fill in FILLERS.items():
        if name in route.kwargs:
            kwargs[name] = fill(obj)
    return kwargs


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_anonymous_callers_are_turned_away(route, world, api, client):
    obj = make_object(route.model, tenant=world["a"]) if "pk" in route.kwargs else None
    url = route.url(**_kwargs(route, world["a"].slug, obj))
    for method in route.methods:
        response = _call(_client(route, api, client, None), method, url)
        if route.is_api:
            assert response.status_code == 401, (method, url, response.status_code)
        else:
            assert response.status_code == 302, (method, url, response.status_code)
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_another_tenants_member_gets_404_on_every_method(route, world, api, client):
    obj = make_object(route.model, tenant=world["a"]) if "pk" in route.kwargs else None
    url = route.url(**_kwargs(route, world["a"].slug, obj))
    caller = _client(route, api, client, world["b_admin"])
    for method in route.methods:
        response = _call(caller, method, url)
        assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_ids(OBJECT_ROUTES))
def test_another_tenants_object_is_404_under_ones_own_tenant(route, world, api, client):
    foreign = make_object(route.model, tenant=world["a"])
    own = make_object(route.model, tenant=world["b"])
    caller = _client(route, api, client, world["b_admin"])
    for method in route.methods:
        _assert_hidden(
            caller,
            method,
            route,
            route.url(**_kwargs(route, world["b"].slug, foreign)),
            route.url(**_kwargs(route, world["b"].slug, own)),
        )
    if "get" in route.methods and not route.empty_is_404:
        response = _call(caller, "get", route.url(**_kwargs(route, world["b"].slug, own)))
        assert response.status_code not in (404, 500), (route.name, response.status_code)


def _assert_hidden(caller, method, route, foreign_url, own_url):
    """404 for someone else's object; or a 403 that the caller gets for its own object too
    (a role that may not do this at all), so the answer says nothing about what exists."""
    response = _call(caller, method, foreign_url)
    if response.status_code == 403:
        mine = _call(caller, method, own_url)
        assert mine.status_code == 403, (
            method,
            route.name,
            "403 only for a foreign object",
            mine.status_code,
        )
        return
    assert response.status_code == 404, (method, route.name, response.status_code)


PARTNER_ROUTES = [
    r for r in OBJECT_ROUTES if getattr(r.view, "partner_scope", None) not in (None, SHARED_WITH_PARTNERS)
]


@pytest.mark.parametrize("route", PARTNER_ROUTES, ids=_ids(PARTNER_ROUTES))
def test_a_partner_user_gets_404_for_another_partners_object(route, world, api, client, partner_user):
    mine, theirs = PartnerFactory(tenant=world["a"]), PartnerFactory(tenant=world["a"])
    user = partner_user(world["a"], partner=mine)
    caller = _client(route, api, client, user)
    foreign = make_object(route.model, tenant=world["a"], partner=theirs)
    own = make_object(route.model, tenant=world["a"], partner=mine)
    for method in route.methods:
        _assert_hidden(
            caller,
            method,
            route,
            route.url(**_kwargs(route, world["a"].slug, foreign)),
            route.url(**_kwargs(route, world["a"].slug, own)),
        )
    own_url = route.url(**_kwargs(route, world["a"].slug, own))
    if "get" in route.methods and not route.empty_is_404:
        response = _call(caller, "get", own_url)
        assert response.status_code in (200, 403), (route.name, response.status_code)
