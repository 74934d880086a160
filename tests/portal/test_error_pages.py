"""The error pages: 403, 404 and 500 in the portal's frame and the reader's language, saying what
happened and where to go; under /api/ the same errors stay JSON."""

import pytest
from django.db import InterfaceError, OperationalError, connection

from prm.portal.views import DashboardView
from prm.tenancy.api.views import MeView
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def boom(*args, **kwargs):
    raise RuntimeError("a bug")


def test_a_partner_user_opening_its_own_partner_record_gets_the_branded_403(web, tenant, partner_user):
    # given a partner user of Nordwind
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    client = web(partner_user(tenant, partner=nordwind))

    # when it opens its partner's staff record
    response = client.get(f"/t/alpha/partners/{nordwind.pk}/", HTTP_REFERER="http://testserver/t/alpha/")

    # then it is refused in the portal's frame, told why and where to go
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-page" data-status="403"' in html
    assert 'class="sidenav"' in html  # the portal's menu is there
    assert "This page is not open to you" in html
    assert "Your role in Alpha Robotics, Partner user, does not include this page" in html
    assert 'href="/t/alpha/" data-testid="error-dashboard"' in html
    assert 'href="http://testserver/t/alpha/" data-testid="error-back"' in html


def test_a_staff_role_refused_a_page_is_told_its_role(web, tenant, member):
    response = web(member(tenant, Role.FINANCE)).get("/t/alpha/members/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your role in Alpha Robotics, Finance, does not include this page" in html
    assert "Your partner&#x27;s own pages" not in html


def test_an_unknown_page_of_the_tenant_is_the_branded_404(web, tenant, member):
    response = web(member(tenant, Role.CHANNEL_MANAGER)).get("/t/alpha/partners/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-status="404"' in html and "There is no page here" in html
    assert 'class="sidenav"' in html
    assert 'href="/t/alpha/" data-testid="error-dashboard"' in html


def test_another_tenants_page_is_a_404_that_offers_ones_own_programmes(web, tenant, other_tenant, member):
    response = web(member(other_tenant, Role.ADMIN)).get("/t/alpha/partners/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "There is no page here" in html
    assert "Alpha Robotics" not in html  # nothing says the tenant exists
    assert 'href="/t/beta/"' in html and "The dashboard of Beta Software" in html


def test_an_anonymous_reader_of_an_unknown_address_is_offered_the_login(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/accounts/login/?next=/no-such-page/"' in response.content.decode()


def test_the_error_page_speaks_the_readers_language(web, tenant, member):
    client = web(member(tenant, Role.FINANCE))
    client.post("/i18n/setlang/", {"language": "pt-br", "next": "/t/alpha/"})
    html = client.get("/t/alpha/members/").content.decode()
    assert '<html lang="pt-br">' in html
    assert "Painel" in html  # the portal's menu, in Portuguese


def test_a_failing_page_is_the_branded_500(web, tenant, member, monkeypatch):
    # given a page that fails
    monkeypatch.setattr(DashboardView, "get_context_data", boom)
    client = web(member(tenant, Role.ADMIN))
    client.raise_request_exception = False

    # when it is opened
    response = client.get("/t/alpha/")

    # then the 500 page says what happened, in the portal's frame
    html = response.content.decode()
    assert response.status_code == 500
    assert 'data-status="500"' in html and "Something went wrong on our side" in html
    assert "a bug" not in html  # nothing of the error itself
    assert 'class="sidenav"' in html


def test_the_500_page_is_drawn_without_the_database_when_the_frame_fails(web, tenant, member, monkeypatch):
    monkeypatch.setattr(DashboardView, "get_context_data", boom)
    monkeypatch.setattr("prm.portal.context.memberships_of", boom)  # the menu's query fails too
    client = web(member(tenant, Role.ADMIN))
    client.raise_request_exception = False
    response = client.get("/t/alpha/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_api_keeps_its_json_errors(api, tenant, member, partner_user, monkeypatch):
    # a path no route matches
    response = api(member(tenant, Role.ADMIN)).get("/api/v1/tenants/alpha/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    # a role refused
    response = api(partner_user(tenant)).get("/api/v1/tenants/alpha/members/")
    assert response.status_code == 403 and "detail" in response.json()
    # a view that fails
    monkeypatch.setattr(MeView, "get", boom)
    client = api(member(tenant, Role.ADMIN))
    client.raise_request_exception = False
    response = client.get("/api/v1/tenants/alpha/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_database_connection_is_a_json_503_with_retry_after(api, tenant, member, monkeypatch, error):
    def lost(*args, **kwargs):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(MeView, "get", lost)
    client = api(member(tenant, Role.ADMIN))
    client.raise_request_exception = False
    response = client.get("/api/v1/tenants/alpha/me/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json" and int(response["Retry-After"]) > 0
    assert "database" in response.json()["detail"]


def test_a_refusal_by_a_database_trigger_is_a_json_409(api, tenant, member, monkeypatch):
    def refused(*args, **kwargs):  # raised the way the payout run triggers raise
        with connection.cursor() as cursor:
            cursor.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'an approved payout run never changes'"
                " USING ERRCODE = 'restrict_violation'; END $$"
            )

    monkeypatch.setattr(MeView, "get", refused)
    client = api(member(tenant, Role.ADMIN))
    client.raise_request_exception = False
    response = client.get("/api/v1/tenants/alpha/me/")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json" and "detail" in response.json()


def test_a_lost_connection_outside_a_drf_view_is_the_same_json_503(api, tenant, member, monkeypatch):
    def lost(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(MeView, "dispatch", lost)  # before DRF's own handler could see it
    client = api(member(tenant, Role.ADMIN))
    client.raise_request_exception = False
    response = client.get("/api/v1/tenants/alpha/me/")
    assert response.status_code == 503 and response["Retry-After"]
    assert response["Content-Type"] == "application/json" and "database" in response.json()["detail"]
