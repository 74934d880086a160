"""Partners' requests through the API and the pages: a partner user sees only its own partner's
(another partner's request is 404), raises with an attachment, the manager answers from the queue
where overdue ones come first."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conversations.models import PartnerRequest
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha/requests"


@pytest.fixture
def people(tenant, member, partner_user):
    owner = member(tenant, Role.CHANNEL_MANAGER)
    mine = PartnerFactory(tenant=tenant, name="Nordwind", owner=owner)
    theirs = PartnerFactory(tenant=tenant, name="Südlicht", owner=owner)
    return owner, partner_user(tenant, partner=mine), partner_user(tenant, partner=theirs)


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_api_raise_answer_and_read_the_thread_and_another_partner_gets_404(api, people):
    owner, user, other = people
    created = api(user).post(
        f"{BASE}/",
        {"category": "complaint", "subject": "Late delivery", "text": "Two weeks late."},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["messages"][0]["text"] == "Two weeks late."

    assert api(other).get(f"{BASE}/{pk}/").status_code == 404
    assert api(other).post(f"{BASE}/{pk}/messages/", {"text": "hi"}, format="json").status_code == 404
    assert [r["id"] for r in api(other).get(f"{BASE}/").json()["results"]] == []

    answer = api(owner).post(f"{BASE}/{pk}/messages/", {"text": "Sorry, fixed."}, format="json")
    assert answer.status_code == 201 and answer.json()["from_vendor"] is True
    read = api(user).get(f"{BASE}/{pk}/").json()
    assert read["status"] == "answered" and read["answered_in_time"] is True
    assert [m["text"] for m in api(user).get(f"{BASE}/{pk}/messages/").json()] == [
        "Two weeks late.",
        "Sorry, fixed.",
    ]
    closed = api(user).post(f"{BASE}/{pk}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api(user).post(f"{BASE}/{pk}/close/").status_code == 400


def test_api_staff_may_not_raise_finance_may_not_answer_and_a_bad_category_names_the_field(
    api, tenant, member, people
):
    owner, user, _other = people
    assert (
        api(owner)
        .post(f"{BASE}/", {"category": "idea", "subject": "x", "text": "y"}, format="json")
        .status_code
        == 403
    )
    bad = api(user).post(f"{BASE}/", {"category": "rant", "subject": "x", "text": "y"}, format="json")
    assert bad.status_code == 400 and "category" in bad.json()
    pk = (
        api(user)
        .post(f"{BASE}/", {"category": "idea", "subject": "x", "text": "y"}, format="json")
        .json()["id"]
    )
    finance = member(tenant, Role.FINANCE)
    assert api(finance).post(f"{BASE}/{pk}/messages/", {"text": "no"}, format="json").status_code == 403


def test_the_attachment_is_served_to_its_partner_and_404_to_another(api, people):
    _owner, user, other = people
    created = api(user).post(
        f"{BASE}/",
        {"category": "request", "subject": "Photo", "text": "See it.", "attachment": png()},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["attachment_name"] == "photo.png"
    assert api(user).get(f"{BASE}/{pk}/attachment/").status_code == 200
    assert api(other).get(f"{BASE}/{pk}/attachment/").status_code == 404
    bad = api(user).post(
        f"{BASE}/",
        {
            "category": "request",
            "subject": "x",
            "text": "y",
            "attachment": SimpleUploadedFile("a.pdf", b"nope"),
        },
        format="multipart",
    )
    assert bad.status_code == 400 and "attachment" in bad.json()


def test_pages_partner_raises_manager_answers_from_the_queue_overdue_first(web, client, tenant, people):
    owner, user, other = people
    page = web(user).post(
        "/t/alpha/requests/", {"category": "request", "subject": "Brochures", "text": "Need 50."}, follow=True
    )
    assert page.status_code == 200 and "Brochures" in page.content.decode()
    fresh = PartnerRequest.objects.for_tenant(tenant).get(subject="Brochures")
    old = PartnerRequest.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=fresh.partner,
        category="complaint",
        subject="Old complaint",
        raised_at=timezone.now() - datetime.timedelta(days=9),
        first_due_at=timezone.now() - datetime.timedelta(days=5),
        due_at=timezone.now() - datetime.timedelta(days=5),
    )
    invalid = client.post("/t/alpha/requests/", {"category": "request", "subject": "", "text": ""})
    assert invalid.status_code == 400
    client.logout()

    queue = web(owner).get("/t/alpha/requests/queue/").content.decode()
    assert queue.index("Old complaint") < queue.index("Brochures")
    assert "Brochures" not in web(owner).get("/t/alpha/requests/queue/?overdue=on").content.decode()
    answered = client.post(f"/t/alpha/requests/{fresh.pk}/", {"text": "On their way."}, follow=True)
    assert answered.status_code == 200 and "On their way." in answered.content.decode()
    client.logout()

    assert "On their way." in web(user).get(f"/t/alpha/requests/{fresh.pk}/").content.decode()
    client.logout()
    assert web(other).get(f"/t/alpha/requests/{old.pk}/").status_code == 404
    assert "Old complaint" not in client.get("/t/alpha/requests/").content.decode()
