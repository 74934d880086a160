"""An application's region or industry off the tenant's lists: offered as choices with "Other",
kept as written and flagged, settled by a reviewer who picks a listed value or adds it to the list."""

import pytest
from django.core.cache import cache

from onboarding.models import Application
from partners.models import Partner, ReferenceItem
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from tests.factories import ReferenceItemFactory

pytestmark = pytest.mark.django_db

PAGE = "/apply/alpha/"
API = "/api/v1/tenants/alpha/applications/"
REVIEWS = "/api/v1/tenants/alpha/inbound-applications/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lists(tenant):
    """Alpha keeps regions (North, South) and industries (Automation, Retail)."""
    for kind, name in [
        ("region", "North"),
        ("region", "South"),
        ("industry", "Automation"),
        ("industry", "Retail"),
    ]:
        ReferenceItemFactory(tenant=tenant, kind=kind, name=name)


def applying(**fields):
    return {"company": "Bayern Motion", "contact_name": "Max Huber", "email": "max@bayern.example", **fields}


def the_application(tenant):
    return Application.objects.for_tenant(tenant).get()


# --- the public page ----------------------------------------------------------------


def test_the_page_offers_the_lists_as_choices_with_other(client, tenant, lists):
    html = client.get(PAGE).content.decode()

    assert '<option value="North">North</option>' in html
    assert '<option value="Retail">Retail</option>' in html
    assert 'value="__other__"' in html
    assert 'name="industry_other"' in html


def test_a_candidate_from_an_unlisted_region_and_industry_applies(client, tenant, lists):
    # when
    response = client.post(
        PAGE,
        applying(
            region="__other__", region_other="Bavaria", industry="__other__", industry_other="Automotive"
        ),
    )

    # then
    assert response.status_code == 200
    application = the_application(tenant)
    assert (application.region, application.industry) == ("Bavaria", "Automotive")
    assert application.unlisted == ["region", "industry"]
    partner = Partner.objects.for_tenant(tenant).get()
    assert (partner.region, partner.industry) == ("", "")  # the prospect waits for the reviewer


def test_a_listed_choice_is_not_flagged(client, tenant, lists):
    client.post(PAGE, applying(region="North", industry="__other__", industry_other="automation"))

    application = the_application(tenant)
    assert (application.region, application.industry) == ("North", "Automation")  # the list's spelling
    assert application.unlisted == []
    assert Partner.objects.for_tenant(tenant).get().industry == "Automation"


def test_other_without_a_name_is_asked_for_in_its_field(client, tenant, lists):
    response = client.post(PAGE, applying(region="__other__", region_other=" "))

    assert response.status_code == 400
    assert "Name it, or pick one of the list." in response.content.decode()
    assert not Application.objects.for_tenant(tenant).exists()


def test_without_lists_the_answers_stay_free_text(client, tenant):
    html = client.get(PAGE).content.decode()
    assert 'name="region_other"' not in html

    client.post(PAGE, applying(region="Bavaria"))

    assert the_application(tenant).unlisted == []
    assert Partner.objects.for_tenant(tenant).get().region == "Bavaria"


# --- the API ------------------------------------------------------------------------


def test_the_api_names_the_lists_and_takes_the_candidates_own_answer(api, tenant, lists):
    # given
    assert api().get(API).json() == {"region": ["North", "South"], "industry": ["Automation", "Retail"]}

    # when
    response = api().post(API, applying(region="Bavaria", industry="retail"), format="json")

    # then
    assert response.status_code == 201, response.content
    application = the_application(tenant)
    assert application.unlisted == ["region"]
    assert application.industry == "Retail"


# --- the review ---------------------------------------------------------------------


def submitted(client, tenant):
    client.post(
        PAGE,
        applying(
            region="__other__", region_other="Bavaria", industry="__other__", industry_other="Automotive"
        ),
    )
    return the_application(tenant)


def test_the_reviewer_sees_the_flag_and_picks_a_listed_value(client, web, tenant, lists, member):
    # given
    application = submitted(client, tenant)
    manager = web(member(tenant, Role.CHANNEL_MANAGER))
    page = manager.get("/t/alpha/applications/").content.decode()
    assert "not listed" in page and "Bavaria" in page
    assert 'data-testid="add-to-list-region"' not in page  # the lists are the admins'

    # when
    response = manager.post(
        f"/t/alpha/applications/{application.pk}/review/", {"field": "region", "value": "south"}
    )

    # then
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.unlisted == ["industry"]
    assert application.region == "Bavaria"  # the candidate's words stay on the application
    assert Partner.objects.for_tenant(tenant).get().region == "South"
    assert AuditEntry.objects.for_tenant(tenant).filter(action="application.reviewed").exists()


def test_an_admin_adds_the_candidates_value_to_the_list_in_one_click(client, web, tenant, lists, member):
    application = submitted(client, tenant)
    admin = web(member(tenant, Role.ADMIN))
    assert 'data-testid="add-to-list-industry"' in admin.get("/t/alpha/applications/").content.decode()

    admin.post(f"/t/alpha/applications/{application.pk}/review/", {"field": "industry", "add_to_list": "1"})

    assert ReferenceItem.objects.for_tenant(tenant).filter(kind="industry", name="Automotive").exists()
    assert Partner.objects.for_tenant(tenant).get().industry == "Automotive"
    application.refresh_from_db()
    assert application.unlisted == ["region"]


def test_a_manager_may_not_add_to_the_list(client, web, tenant, lists, member):
    application = submitted(client, tenant)

    response = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"/t/alpha/applications/{application.pk}/review/", {"field": "industry", "add_to_list": "1"}
    )

    assert response.status_code == 400
    assert not ReferenceItem.objects.for_tenant(tenant).filter(name="Automotive").exists()
    application.refresh_from_db()
    assert application.unlisted == ["region", "industry"]


def test_a_value_off_the_list_is_refused_and_nothing_settles(client, web, tenant, lists, member):
    application = submitted(client, tenant)

    response = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"/t/alpha/applications/{application.pk}/review/", {"field": "region", "value": "Atlantis"}
    )

    assert response.status_code == 400
    application.refresh_from_db()
    assert application.unlisted == ["region", "industry"]


def test_the_api_lists_flagged_applications_and_settles_one(client, api, tenant, lists, member):
    # given
    application = submitted(client, tenant)
    admin = api(member(tenant, Role.ADMIN))

    # when
    listed = admin.get(f"{REVIEWS}?unlisted=true").json()
    settled = admin.post(
        f"{REVIEWS}{application.pk}/review/", {"field": "region", "add_to_list": True}, format="json"
    )
    again = admin.post(
        f"{REVIEWS}{application.pk}/review/", {"field": "region", "value": "North"}, format="json"
    )

    # then
    assert [a["unlisted"] for a in listed["results"]] == [["region", "industry"]]
    assert settled.status_code == 200, settled.content
    assert settled.json()["unlisted"] == ["industry"]
    assert Partner.objects.for_tenant(tenant).get().region == "Bavaria"
    assert again.status_code == 400
    assert "field" in again.json()


def test_the_api_refuses_adding_to_the_list_to_a_manager(client, api, tenant, lists, member):
    application = submitted(client, tenant)

    response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"{REVIEWS}{application.pk}/review/", {"field": "industry", "add_to_list": True}, format="json"
    )

    assert response.status_code == 403
