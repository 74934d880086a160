"""An integrator's walk through the API alone, with tokens from auth/token/ like any client: a prospect
becomes signed and certified, then its quarter is paid through an approved, exported and paid run."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from partners.lifecycle.criteria import CRITERIA
from prm.tenancy.choices import Role
from tests.factories import AgreementTemplateFactory, CourseFactory, real_pdf

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/alpha"


def client_for(user) -> APIClient:
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "secret-pass-1"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def ok(response, status=200):
    assert response.status_code == status, (
        response.status_code,
        getattr(response, "data", response.content[:300]),
    )
    return response.json() if response["Content-Type"].startswith("application/json") else response


def test_prospect_to_certified_and_paid_through_the_api_alone(
    tenant, member, django_capture_on_commit_callbacks
):
    # given: the vendor's staff and its catalogue (an agreement template and two required courses)
    manager = client_for(member(tenant, Role.CHANNEL_MANAGER, username="maria"))
    lead = client_for(member(tenant, Role.REGIONAL_LEAD, username="luis"))
    finance = client_for(member(tenant, Role.FINANCE, username="fiona"))
    AgreementTemplateFactory(tenant=tenant, name="Reseller agreement", version="2026")
    CourseFactory.create_batch(2, tenant=tenant)

    # a prospect with a contact, moved to first talks, visited, moved to selection
    partner = ok(
        manager.post(
            f"{BASE}/partners/",
            {
                "name": "Nordwind Systems",
                "region": "North",
                "payee_reference": "V-1",
                "contacts": [{"name": "Ana Lima", "email": "ana@example.com"}],
            },
            format="json",
        ),
        201,
    )
    url = f"{BASE}/partners/{partner['id']}"
    ok(manager.post(f"{url}/transition/", {"to": "first_talks"}, format="json"))
    ok(
        manager.post(
            f"{url}/visits/",
            {"date": "2026-06-02", "summary": "Met the owner", "goal_met": True},
            format="json",
        ),
        201,
    )
    ok(manager.post(f"{url}/transition/", {"to": "selection"}, format="json"))

    # the selection assessment (what the form asks: every criterion), the lead's approval, strategic
    criteria = {
        "business_direction": 4,
        "customer_base": 4,
        "integrity": 5,
        "financial_strength": 4,
        "other_lines": 3,
    }
    ok(manager.post(f"{url}/assessments/", {"kind": "selection", "ratings": criteria}, format="json"), 201)
    refused = manager.post(f"{url}/transition/", {"to": "strategic"}, format="json")
    assert refused.status_code == 400 and refused.json()["to"] == [
        "Strategic needs the regional lead's approval."
    ]
    ok(manager.post(f"{url}/request-approval/", {"note": "Strong in automotive"}, format="json"), 202)
    ok(lead.post(f"{url}/approve/", {"note": "Go"}, format="json"))
    ok(manager.post(f"{url}/transition/", {"to": "strategic"}, format="json"))

    # the strategic review; the agreement is signed against a template the API lists; signed

    review = {key: 4 for key in CRITERIA["strategic"]}
    ok(manager.post(f"{url}/assessments/", {"kind": "strategic", "ratings": review}, format="json"), 201)
    (template,) = ok(manager.get(f"{BASE}/agreement-templates/?active=true"))["results"]
    ok(
        manager.post(
            f"{BASE}/agreements/",
            {
                "partner": partner["id"],
                "template": template["id"],
                "signed_on": "2026-06-20",
                "signatories": "Ana Lima, CEO, Nordwind",
                "document": SimpleUploadedFile("signed.pdf", real_pdf(), "application/pdf"),
            },
            format="multipart",
        ),
        201,
    )
    ok(manager.post(f"{url}/transition/", {"to": "signed"}, format="json"))

    # the courses the API lists, completed: the partner is certified and has its certificate
    for course in ok(manager.get(f"{BASE}/courses/?required_for_certification=true"))["results"]:
        ok(
            manager.post(
                f"{BASE}/completions/",
                {
                    "course": course["id"],
                    "partner": partner["id"],
                    "person": "Ana Lima",
                    "completed_on": "2026-06-25",
                },
                format="json",
            ),
            201,
        )
    assert ok(manager.get(f"{url}/"))["stage"] == "certified"
    assert ok(manager.get(f"{url}/certificate/")).content.startswith(b"%PDF")

    # a commission rule, a sale in Q3, the run computed as a job
    ok(
        manager.post(
            f"{BASE}/incentive-rules/",
            {"name": "Base commission", "kind": "commission", "params": {"rate": "5"}},
            format="json",
        ),
        201,
    )
    ok(
        manager.post(
            f"{BASE}/sales/",
            {
                "external_id": "INV-1",
                "partner": partner["id"],
                "date": "2026-08-03",
                "product": "RX-200",
                "quantity": 1,
                "amount": "12400.00",
                "currency": "EUR",
                "customer": "Acme Robotics",
            },
            format="json",
        ),
        201,
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = ok(finance.post(f"{BASE}/payout-runs/", {"period": "2026-Q3"}, format="json"), 202)
    assert ok(finance.get(f"{BASE}/jobs/{job['id']}/"))["status"] == "succeeded"
    (run,) = ok(finance.get(f"{BASE}/payout-runs/?period=2026-Q3"))["results"]
    assert (run["status"], run["total"], run["warnings_count"]) == ("draft", "620.00", 0)

    # approved, exported (the file, then the explicit step), paid with the bank's reference
    ok(finance.post(f"{BASE}/payout-runs/{run['id']}/approve/", {}, format="json"))
    rows = list(
        csv.reader(io.StringIO(ok(finance.get(f"{BASE}/payout-runs/{run['id']}/export/")).content.decode()))
    )
    assert rows[-1][1:9] == ["Total", "", "", "", "620.00", "EUR", "2026-Q3", "total"]
    assert ok(finance.post(f"{BASE}/payout-runs/{run['id']}/mark-exported/"))["status"] == "exported"
    ok(
        finance.post(
            f"{BASE}/payout-runs/{run['id']}/payments/",
            {"partner": partner["id"], "paid_on": str(date(2026, 10, 5)), "reference": "SEPA-4711"},
            format="json",
        ),
        201,
    )
    assert ok(finance.get(f"{BASE}/payout-runs/{run['id']}/"))["status"] == "paid"
