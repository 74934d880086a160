"""The portal shell: login, navigation by role, tenant switcher, languages, lockout."""

import pytest
from django.core import mail

from prm.tenancy.choices import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_home_sends_a_member_to_their_tenants_dashboard(web, tenant, member):
    response = web(member(tenant, Role.FINANCE)).get("/")
    assert response.status_code == 302 and response["Location"] == "/t/alpha/"


def test_login_page_signs_in_and_redirects_to_the_dashboard(client, tenant, member):
    member(tenant, Role.CHANNEL_MANAGER, username="carla")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b"Sign in" in page.content
    credentials = {"username": "carla", "password": "secret-pass-1"}
    response = client.post("/accounts/login/", credentials, follow=True)
    assert response.redirect_chain[-1][0] == "/t/alpha/"
    assert b"Dashboard" in response.content


def test_navigation_follows_the_role(web, tenant, member):
    admin_html = web(member(tenant, Role.ADMIN)).get("/t/alpha/").content.decode()
    assert "/t/alpha/members/" in admin_html and "/t/alpha/audit/" in admin_html
    manager_html = web(member(tenant, Role.CHANNEL_MANAGER)).get("/t/alpha/").content.decode()
    assert "/t/alpha/members/" not in manager_html and "/t/alpha/audit/" not in manager_html
    assert web(member(tenant, Role.CHANNEL_MANAGER)).get("/t/alpha/members/").status_code == 403


def test_a_partner_user_sees_the_dashboard_but_no_staff_pages(web, tenant, partner_user):
    client = web(partner_user(tenant))
    assert client.get("/t/alpha/").status_code == 200
    for path in ("/t/alpha/members/", "/t/alpha/jobs/", "/t/alpha/audit/"):
        assert client.get(path).status_code == 403


def test_tenant_switcher_lists_every_programme_of_a_consultant(web, tenant, other_tenant, member):
    consultant = member(tenant, Role.CHANNEL_MANAGER)
    MembershipFactory(user=consultant, tenant=other_tenant, role=Role.REGIONAL_LEAD)
    html = web(consultant).get("/t/alpha/").content.decode()
    assert 'data-testid="tenant-switcher"' in html
    assert 'href="/t/beta/"' in html and "Beta Software" in html
    assert web(consultant).get("/t/beta/").status_code == 200


def test_language_switch_translates_the_portal(web, tenant, member):
    client = web(member(tenant, Role.ADMIN))
    response = client.post("/i18n/setlang/", {"language": "pt-br", "next": "/t/alpha/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="pt-br">' in response.content.decode()
    assert "Painel" in response.content.decode()


def test_members_page_invites_a_member_and_shows_errors_by_field(web, tenant, member):
    client = web(member(tenant, Role.ADMIN))
    bad = client.post("/t/alpha/members/", {"email": "nope", "role": "finance"})
    assert bad.status_code == 400
    assert "Enter a valid email address." in bad.content.decode()
    good = client.post("/t/alpha/members/", {"email": "fiona@example.com", "role": "finance"}, follow=True)
    assert "Invitation sent to fiona@example.com." in good.content.decode()
    assert "fiona@example.com" in good.content.decode()  # waiting for an answer


def test_password_reset_sends_a_link(client, tenant, member):
    member(tenant, Role.FINANCE, username="frank", email="frank@example.com")
    response = client.post("/accounts/password_reset/", {"email": "frank@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_repeated_failed_logins_lock_the_username_from_that_address(client, tenant, member, settings):
    member(tenant, Role.FINANCE, username="eve")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "eve", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "eve", "password": "secret-pass-1"})
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content


def test_the_admin_menu_is_grouped_and_reaches_the_programme_settings(web, tenant, member):
    html = web(member(tenant, Role.ADMIN)).get("/t/alpha/").content.decode()
    nav = html.split('class="sidenav"')[1].split("</nav>")[0]
    for section in ("Partners", "Performance", "Incentives", "Programme"):
        assert f'<li class="nav-section">{section}</li>' in nav
    assert nav.index("Pipeline") < nav.index("Scorecards") < nav.index("Payout runs") < nav.index("Members")
    assert "/t/alpha/programme/" in nav
