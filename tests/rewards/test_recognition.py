"""Awards: a manager grants one with a citation (to a partner, perhaps one of its people), it is
announced (e-mail, webhook event, audit) and shown on the partner page, *My programme* and the
public finder; revoking takes it off them with a reason; partners see their own only."""

import pytest

from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.webhooks.models import Event
from rewards.recognition.defaults import ensure_award_categories
from rewards.recognition.models import Award, AwardCategory
from tests.factories import EndpointFactory, PartnerFactory, PartnerUserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/tenants/alpha/awards/"
PAGE = "/t/alpha/rewards/awards/"


@pytest.fixture
def nordwind(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind Systems")


@pytest.fixture
def baltic(tenant):
    return PartnerFactory(tenant=tenant, name="Baltic Data")


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def categories(tenant):
    ensure_award_categories(tenant)
    return {c.name: c for c in AwardCategory.objects.for_tenant(tenant)}


def grant(api, manager, category, partner, **extra):
    body = {
        "category": category.pk,
        "period": "2026",
        "partner": partner.pk,
        "citation": "A year to remember.",
    }
    return api(manager).post(API, {**body, **extra}, format="json")


def test_a_tenant_starts_with_three_categories(categories):
    assert list(categories) == ["Partner of the year", "Best newcomer", "Service excellence"]


def test_granting_announces_the_award_to_the_partners_people_and_subscribers(
    tenant, nordwind, manager, categories, api, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = PartnerUserFactory(tenant=tenant, partner=nordwind)
    EndpointFactory(tenant=tenant, events=["award.granted"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = grant(api, manager, categories["Partner of the year"], nordwind, person=colleague.pk)

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["category_name"] == "Partner of the year" and body["partner_name"] == "Nordwind Systems"
    assert body["person"] == colleague.pk and body["person_name"]
    assert [m.to for m in mailoutbox] == [[colleague.membership.user.email]]
    assert "Partner of the year" in mailoutbox[0].subject and "A year to remember." in mailoutbox[0].body
    event = Event.objects.for_tenant(tenant).get(name="award.granted")
    assert event.data["id"] == body["id"]
    assert AuditEntry.objects.for_tenant(tenant).filter(action="award.granted").count() == 1


def test_refusals_a_person_of_another_partner_a_bad_period_the_same_award_twice(
    tenant, nordwind, baltic, manager, categories, api
):
    stranger = PartnerUserFactory(tenant=tenant, partner=baltic)
    best = categories["Best newcomer"]
    assert "person" in grant(api, manager, best, nordwind, person=stranger.pk).json()
    assert "period" in grant(api, manager, best, nordwind, period="last year").json()
    assert grant(api, manager, best, nordwind, period="2026-q3").json()["period"] == "2026-Q3"
    twice = grant(api, manager, best, nordwind, period="2026-Q3")
    assert twice.status_code == 400 and "already holds this award" in str(twice.json())
    assert Award.objects.for_tenant(tenant).count() == 1


def test_partner_users_and_finance_may_not_grant(tenant, nordwind, categories, api, partner_user, member):
    best = categories["Best newcomer"]
    assert grant(api, partner_user(tenant, nordwind), best, nordwind).status_code == 403
    assert grant(api, member(tenant, Role.FINANCE), best, nordwind).status_code == 403


def test_the_award_shows_on_the_partner_page_my_programme_and_the_finder(
    tenant, nordwind, manager, categories, api, web, client, partner_user
):
    grant(api, manager, categories["Service excellence"], nordwind, citation="Fixed every outage overnight.")

    partner_page = web(manager).get(f"/t/alpha/partners/{nordwind.pk}/").content.decode()
    assert "Service excellence 2026" in partner_page and "Fixed every outage overnight." in partner_page

    programme = web(partner_user(tenant, nordwind)).get("/t/alpha/my-programme/").content.decode()
    assert 'data-testid="partner-awards"' in programme and "Service excellence 2026" in programme

    client.logout()
    finder = client.get("/find-a-partner/alpha/").content.decode()
    assert 'data-testid="finder-awards"' in finder and "Nordwind Systems" in finder
    assert "Fixed every outage overnight." not in finder, "the citation is the programme's own"


def test_revoking_needs_a_reason_and_takes_the_award_off_every_page(
    tenant, nordwind, manager, categories, api, web, client
):
    award_id = grant(api, manager, categories["Partner of the year"], nordwind).json()["id"]

    assert api(manager).post(f"{API}{award_id}/revoke/", {"reason": ""}, format="json").status_code == 400
    revoked = api(manager).post(f"{API}{award_id}/revoke/", {"reason": "Granted by mistake"}, format="json")

    assert revoked.status_code == 200 and revoked.json()["revoke_reason"] == "Granted by mistake"
    entry = AuditEntry.objects.for_tenant(tenant).get(action="award.revoked")
    assert entry.reason == "Granted by mistake"
    assert (
        "Partner of the year 2026"
        not in web(manager).get(f"/t/alpha/partners/{nordwind.pk}/").content.decode()
    )
    client.logout()
    assert 'data-testid="finder-awards"' not in client.get("/find-a-partner/alpha/").content.decode()
    again = api(manager).post(f"{API}{award_id}/revoke/", {"reason": "again"}, format="json")
    assert again.status_code == 400


def test_a_partner_user_sees_its_own_partners_awards_only(
    tenant, nordwind, baltic, manager, categories, api, web, partner_user
):
    mine = grant(api, manager, categories["Best newcomer"], nordwind).json()["id"]
    theirs = grant(api, manager, categories["Best newcomer"], baltic).json()["id"]
    user = partner_user(tenant, nordwind)

    assert [a["id"] for a in api(user).get(API).json()["results"]] == [mine]
    assert api(user).get(f"{API}{theirs}/").status_code == 404
    page = web(user).get(PAGE).content.decode()
    assert f'data-testid="award-{mine}"' in page and f'data-testid="award-{theirs}"' not in page
    assert "Grant an award" not in page


def test_the_page_grants_revokes_and_keeps_the_categories(tenant, nordwind, manager, categories, web):
    client = web(manager)
    invalid = client.post(
        f"{PAGE}grant/", {"category": categories["Best newcomer"].pk, "partner": nordwind.pk}
    )
    assert invalid.status_code == 400

    done = client.post(
        f"{PAGE}grant/",
        {
            "category": categories["Best newcomer"].pk,
            "period": "2026",
            "partner": nordwind.pk,
            "citation": "Fast start.",
        },
        follow=True,
    )
    assert done.status_code == 200 and "granted to Nordwind Systems" in done.content.decode()
    award = Award.objects.for_tenant(tenant).get()

    assert client.post(f"{PAGE}{award.pk}/revoke/", {"reason": ""}).status_code == 400
    client.post(f"{PAGE}{award.pk}/revoke/", {"reason": "Wrong partner"})
    award.refresh_from_db()
    assert award.is_revoked and award.revoke_reason == "Wrong partner"

    client.post(f"{PAGE}categories/", {"name": "Innovation", "description": "", "position": 5})
    assert AwardCategory.objects.for_tenant(tenant).filter(name="Innovation", active=True).exists()
    assert client.post(f"{PAGE}categories/", {"name": "innovation", "position": 6}).status_code == 400
    client.post(f"{PAGE}categories/{categories['Best newcomer'].pk}/toggle/")
    form = client.get(PAGE).context["form"]
    assert categories["Best newcomer"] not in form.fields["category"].queryset
