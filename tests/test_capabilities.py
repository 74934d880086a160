"""One capability table governs who may do what: every page, API action and template asks it.

The walker from the isolation test finds every tenant-scoped route; here each
role calls each of them on an object of its own, and gets 403 exactly where
``prm.tenancy.capabilities.TABLE`` says it lacks what the view declares (a
view that checked roles by hand, or forgot to, fails). Templates may only ask
for capabilities that exist, the menu only links to pages the role may open,
and ``docs/permissions.md`` is the table as it is.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from prm.portal.registry import _nav
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import TABLE, Capability, allows, markdown_table, roles_with
from prm.tenancy.choices import Role

from .factories import PartnerFactory, make_object
from .test_isolation import ROUTES, _call, _client, _ids, _kwargs

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_every_route_declares_a_capability_from_the_table(route):
    for method in route.methods:
        capability = route.capability(method)
        assert capability in TABLE, f"{route.name} {method}: declares {capability!r}, not a capability"


def _may(role, route, method) -> bool:
    if role == Role.PARTNER and route.view.partner_scope is None:
        return False
    return allows(role, route.capability(method))


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_each_role_is_refused_exactly_where_the_table_says(route, tenant, member, partner_user, api, client):
    staff_object = make_object(route.model, tenant=tenant) if "pk" in route.kwargs else None
    for role in Role.values:
        partner = PartnerFactory(tenant=tenant) if role == Role.PARTNER else None
        user = partner_user(tenant, partner=partner) if partner else member(tenant, role)
        caller = _client(route, api, client, user)
        obj = staff_object
        if partner and obj is not None and route.view.partner_scope not in (None, SHARED_WITH_PARTNERS):
            obj = make_object(route.model, tenant=tenant, partner=partner)  # its own, not another's
        for method in route.methods:
            response = _call(caller, method, route.url(**_kwargs(route, tenant.slug, obj)))
            if _may(role, route, method):
                assert response.status_code != 403, (role, method, route.name, "refused, the table allows")
            else:
                assert response.status_code == 403, (role, method, route.name, response.status_code)
        client.logout()


def test_templates_ask_only_for_capabilities_that_exist():
    asked = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in (ROOT / "templates").rglob("*.html")
        for name in re.findall(r"\bcan\.(\w+)", path.read_text())
    }
    assert asked, "no template asks `can.` anything: the scan is broken"
    unknown = {(path, name) for path, name in asked if name not in Capability.__members__.values()}
    assert not unknown


def test_no_template_compares_role_names():
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"access\.role\s*(==|!=|in\b)", path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("item", sorted(_nav.values(), key=lambda i: i.key), ids=lambda i: i.key)
def test_the_menu_links_only_to_pages_the_role_may_open(item):
    view = resolve(reverse(item.url_name, kwargs={"tenant": "alpha"})).func.view_class
    for role in item.roles:
        assert allows(role, view.capability_for("GET")), (item.key, role)
        assert role != Role.PARTNER or view.partner_scope is not None, (item.key, "partners get 403 there")


def test_money_is_kept_apart_from_the_people_who_earn_it():
    # the roles that win partners and write rules do not approve or pay what those rules compute
    for capability in (
        Capability.APPROVE_PAYOUT_RUN,
        Capability.EXPORT_PAYOUT_RUN,
        Capability.RECORD_PAYMENTS,
    ):
        assert roles_with(capability) == {Role.ADMIN, Role.FINANCE}, capability
    assert Role.FINANCE not in roles_with(Capability.EDIT_RULES)
    # a regional lead approves candidates for signing; the channel manager who found them does not
    assert roles_with(Capability.APPROVE_SIGNING) == {Role.ADMIN, Role.REGIONAL_LEAD}


def test_partner_users_hold_only_what_a_partner_does_for_itself():
    held = {c for c in Capability if allows(Role.PARTNER, c)}
    assert held == {
        Capability.READ,
        Capability.PARTNER_HOME,
        Capability.OWN_SETTINGS,
        Capability.REGISTER_DEAL,
        Capability.COMPLETE_TRAINING,
        Capability.INVITE_PARTNER_USERS,
        Capability.ACKNOWLEDGE_TARGET,
        Capability.REGISTER_PRODUCTS,
        Capability.REQUEST_MDF,
        Capability.AGREE_PLAN,
        Capability.COMPLETE_PLAN_ACTIVITY,
        Capability.ANSWER_LEAD,
        Capability.RAISE_REQUEST,
        Capability.REPLY_REQUEST,
        Capability.REDEEM_POINTS,
        Capability.STATE_REWARD_PREFERENCES,
    }


def test_the_permissions_document_is_the_table():
    document = (ROOT / "docs" / "permissions.md").read_text()
    assert markdown_table() in document, "regenerate the table: python manage.py capabilities > …"
