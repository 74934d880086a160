"""Inbound applications: the public, tenant-branded page and API that turn a candidate into a prospect."""

import pytest
from django.core import mail
from django.core.cache import cache

from onboarding.models import Application
from partners.models import Contact, Partner
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

PAGE = "/apply/alpha/"
API = "/api/v1/tenants/alpha/applications/"
TOO_MANY = "Too many applications from your address; try again in an hour."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def application(**fields):
    return {
        "company": "Nordwind Systems",
        "contact_name": "Ana Lima",
        "email": "ana@nordwind.example",
        "phone": "+49 30 1234",
        "region": "North",
        "country": "de",
        "industry": "Automation",
        "lines_carried": "Conveyors",
        "message": "We sell to car plants.",
        **fields,
    }


def partners_of(tenant):
    return Partner.objects.for_tenant(tenant)


def applications_of(tenant):
    return Application.objects.for_tenant(tenant)


# --- the page ------------------------------------------------------------------------


def test_the_public_page_shows_the_tenant_name_without_login(client, tenant):
    # when
    response = client.get(PAGE)

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Become a partner of Alpha Robotics" in html
    assert 'data-testid="apply-form"' in html


def test_a_valid_application_creates_an_inbound_prospect_with_its_primary_contact(
    client, tenant, member, django_capture_on_commit_callbacks
):
    # given
    member(tenant, Role.CHANNEL_MANAGER)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, application())

    # then
    assert response.status_code == 200
    assert 'data-testid="applied"' in response.content.decode()
    stored = applications_of(tenant).get()
    partner = partners_of(tenant).get()
    assert stored.partner == partner and stored.company == "Nordwind Systems"
    assert stored.ip_address == "127.0.0.1"
    assert (partner.name, partner.source, partner.stage) == ("Nordwind Systems", "inbound", "prospecting")
    assert (partner.region, partner.country) == ("North", "DE")
    assert partner.stage_due_at is not None
    contact = Contact.objects.for_tenant(tenant).get(partner=partner)
    assert (contact.name, contact.email, contact.is_primary) == ("Ana Lima", "ana@nordwind.example", True)


def test_the_owner_is_the_channel_manager_with_most_partners_in_the_region_and_gets_the_email(
    client, tenant, member, django_capture_on_commit_callbacks
):
    # given: in the North, "busy" owns two partners, "quiet" one; an admin and a former manager own more
    busy = member(tenant, Role.CHANNEL_MANAGER)
    quiet = member(tenant, Role.CHANNEL_MANAGER)
    admin = member(tenant, Role.ADMIN)
    former = member(tenant, Role.CHANNEL_MANAGER)
    Membership.objects.for_tenant(tenant).filter(user=former).update(is_active=False)
    for owner, region, count in [
        (busy, "North", 2),
        (quiet, "North", 1),
        (quiet, "South", 3),
        (admin, "North", 4),
        (former, "North", 5),
    ]:
        for _n in range(count):
            PartnerFactory(tenant=tenant, owner=owner, region=region)

    # when: the region is spelt differently
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, application(region="north"))

    # then
    assert response.status_code == 200
    partner = partners_of(tenant).get(name="Nordwind Systems")
    assert partner.owner == busy
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [busy.email]
    assert "Nordwind Systems" in mail.outbox[0].subject
    assert "Ana Lima" in mail.outbox[0].body and "We sell to car plants." in mail.outbox[0].body


def test_without_partners_in_the_region_a_channel_manager_owns_the_prospect_and_is_told(
    client, tenant, member, django_capture_on_commit_callbacks
):
    # given
    managers = {member(tenant, Role.CHANNEL_MANAGER), member(tenant, Role.CHANNEL_MANAGER)}
    finance = member(tenant, Role.FINANCE)
    PartnerFactory(tenant=tenant, owner=finance, region="East")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE, application(region="East"))

    # then
    owner = partners_of(tenant).get(name="Nordwind Systems").owner
    assert owner in managers
    recipients = {address for message in mail.outbox for address in message.to}
    assert owner.email in recipients and finance.email not in recipients


# --- abuse -------------------------------------------------------------------------


def test_a_filled_honeypot_is_refused_and_nothing_is_created(
    client, tenant, member, django_capture_on_commit_callbacks
):
    # given
    member(tenant, Role.CHANNEL_MANAGER)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, application(website="http://spam.example"))

    # then
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["website"]
    assert not applications_of(tenant).exists() and not partners_of(tenant).exists()
    assert mail.outbox == []


def test_the_sixth_application_from_one_address_within_the_hour_is_refused(client, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER)
    for n in range(5):
        assert client.post(PAGE, application(company=f"Company {n}")).status_code == 200

    # when
    response = client.post(PAGE, application(company="Company 6"))

    # then
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert applications_of(tenant).count() == 5
    assert not partners_of(tenant).filter(name="Company 6").exists()


def test_the_rate_limit_counts_per_address(client, tenant, member):
    # given: one address used up its five applications
    member(tenant, Role.CHANNEL_MANAGER)
    for n in range(5):
        client.post(PAGE, application(company=f"Company {n}"))

    # when
    response = client.post(PAGE, application(company="Elsewhere Ltd"), REMOTE_ADDR="10.0.0.7")

    # then
    assert response.status_code == 200
    assert applications_of(tenant).get(company="Elsewhere Ltd").ip_address == "10.0.0.7"


def test_an_overlong_message_is_refused_naming_the_field(client, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER)

    # when
    response = client.post(PAGE, application(message="x" * 4001))

    # then
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["message"]
    assert "at most 4000 characters" in response.content.decode()
    assert not applications_of(tenant).exists() and not partners_of(tenant).exists()


def test_a_message_of_exactly_4000_characters_is_accepted(client, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER)

    # when
    response = client.post(PAGE, application(message="x" * 4000))

    # then
    assert response.status_code == 200
    assert len(applications_of(tenant).get().message) == 4000


def test_an_unknown_tenant_answers_404(client, tenant):
    # when
    page = client.get("/apply/nobody/")
    posted = client.post("/apply/nobody/", application())

    # then
    assert (page.status_code, posted.status_code) == (404, 404)
    assert not Application.objects.for_tenant(tenant).exists()


# --- the API -----------------------------------------------------------------------


def test_the_api_accepts_an_application_without_login(
    api, tenant, member, django_capture_on_commit_callbacks
):
    # given
    manager = member(tenant, Role.CHANNEL_MANAGER)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api().post(API, application(), format="json")

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    partner = partners_of(tenant).get()
    assert body == {"id": applications_of(tenant).get().pk, "partner": partner.pk}
    assert (partner.source, partner.stage, partner.owner) == ("inbound", "prospecting", manager)
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_the_api_refuses_an_application_without_a_company(api, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER)
    body = application()
    del body["company"]

    # when
    response = api().post(API, body, format="json")

    # then
    assert response.status_code == 400
    assert "company" in response.json()
    assert not applications_of(tenant).exists() and not partners_of(tenant).exists()


def test_the_api_refuses_a_filled_honeypot(api, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER)

    # when
    response = api().post(API, application(website="spam"), format="json")

    # then
    assert response.status_code == 400 and "website" in response.json()
    assert not partners_of(tenant).exists()


def test_the_api_answers_429_for_the_sixth_application_from_one_address(api, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER)
    client = api()
    for n in range(5):
        assert client.post(API, application(company=f"Company {n}"), format="json").status_code == 201

    # when
    response = client.post(API, application(company="Company 6"), format="json")

    # then
    assert response.status_code == 429
    assert response.json() == {"detail": TOO_MANY}
    assert applications_of(tenant).count() == 5


def test_the_api_answers_404_for_an_unknown_tenant(api, tenant):
    # when
    response = api().post("/api/v1/tenants/nobody/applications/", application(), format="json")

    # then
    assert response.status_code == 404
    assert not Application.objects.for_tenant(tenant).exists()
