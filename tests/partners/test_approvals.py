"""The approval queue: what waits for a member's decision, oldest first with counts, on a page and a
dashboard card, each kind shown only to the roles that decide it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from partners.lifecycle.moves import partner_request_approval
from partners.models import Partner
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import DealRegistrationFactory, MdfClaimFactory, MdfRequestFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(tenant, member):
    return {
        "ada": member(tenant, Role.ADMIN, username="ada"),
        "carla": member(tenant, Role.CHANNEL_MANAGER, username="carla"),
        "luis": member(tenant, Role.REGIONAL_LEAD, username="luis"),
        "fiona": member(tenant, Role.FINANCE, username="fiona"),
    }


def asked(tenant, partner, actor, days_ago: int, note: str = "") -> None:
    """``actor`` asked the lead to approve ``partner`` ``days_ago`` days ago."""
    with tenant_context(tenant):
        partner_request_approval(partner=partner, actor=actor, note=note)
        AuditEntry.objects.for_tenant(tenant).filter(target_id=str(partner.pk)).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )


@pytest.fixture
def waiting(tenant, team):
    """Two signing requests (Baltic asked 9 days ago, Danube 2), one candidate nobody asked about,
    one approved already, two pending deals, an MDF request and an MDF claim."""
    baltic = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="selection")
    danube = PartnerFactory(tenant=tenant, name="Danube Drives", stage="first_talks")
    PartnerFactory(tenant=tenant, name="Tagus Engenharia", stage="first_talks")  # not asked
    vistula = PartnerFactory(tenant=tenant, name="Vistula Automatyka", stage="selection")
    asked(tenant, danube, team["carla"], 2)
    asked(tenant, baltic, team["carla"], 9, note="Strong references in Vilnius")
    asked(tenant, vistula, team["carla"], 5)
    Partner.objects.for_tenant(tenant).filter(pk=vistula.pk).update(lead_approved_at=timezone.now())
    signed = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    now = timezone.now()
    DealRegistrationFactory(
        tenant=tenant, partner=signed, customer="Newer Co", registered_at=now - timedelta(days=1)
    )
    DealRegistrationFactory(
        tenant=tenant, partner=signed, customer="Older Co", registered_at=now - timedelta(days=6)
    )
    DealRegistrationFactory(tenant=tenant, partner=signed, customer="Decided Co", status="approved")
    MdfRequestFactory(tenant=tenant, partner=signed, plan="Trade fair booth")
    MdfClaimFactory(
        tenant=tenant, request__partner=signed, description="Booth at the fair", status="submitted"
    )
    return {"baltic": baltic, "danube": danube}


def section(html: str, key: str) -> str:
    return html.split(f'data-testid="queue-{key}"')[1].split("</section>")[0]


def partners_in(html: str) -> list[str]:
    return re.findall(r'<td class="name"><a href="/t/alpha/partners/\d+/">([^<]+)</a>', html)


def test_a_regional_lead_sees_the_signing_requests_oldest_first(web, team, waiting):
    html = web(team["luis"]).get("/t/alpha/approvals/").content.decode()

    signing = section(html, "signing")
    assert 'data-testid="count-signing">2<' in signing
    assert partners_in(signing) == ["Baltic Motion", "Danube Drives"]
    assert "Strong references in Vilnius" in signing and "carla" in signing


def test_a_regional_lead_sees_the_deals_it_decides_and_no_mdf(web, team, waiting):
    html = web(team["luis"]).get("/t/alpha/approvals/").content.decode()

    deals = section(html, "deals")
    assert 'data-testid="count-deals">2<' in deals
    assert deals.index("Older Co") < deals.index("Newer Co")
    assert "Decided Co" not in deals
    assert 'data-testid="queue-mdf_requests"' not in html  # MDF is decided by managers, not by leads


def test_each_role_sees_the_queues_it_decides(web, team, waiting):
    def queues(user):
        html = web(user).get("/t/alpha/approvals/").content.decode()
        return re.findall(r'data-testid="queue-([a-z_]+)"', html)

    assert queues(team["ada"]) == ["signing", "deals", "mdf_requests", "mdf_claims", "redemptions"]
    assert queues(team["carla"]) == ["deals", "mdf_requests", "mdf_claims", "redemptions"]
    assert queues(team["luis"]) == ["signing", "deals"]


def test_finance_and_partner_users_have_no_queue(web, tenant, team, partner_user):
    assert web(team["fiona"]).get("/t/alpha/approvals/").status_code == 403
    assert web(partner_user(tenant)).get("/t/alpha/approvals/").status_code == 403
    assert "/t/alpha/approvals/" not in web(team["fiona"]).get("/t/alpha/").content.decode()


def test_the_lead_approves_from_the_queue_and_the_request_leaves_it(web, tenant, team, waiting):
    client = web(team["luis"])

    response = client.post(
        f"/t/alpha/partners/{waiting['baltic'].pk}/approve/",
        {"note": "Go ahead", "next": "/t/alpha/approvals/"},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/t/alpha/approvals/"
    assert partners_in(section(html, "signing")) == ["Danube Drives"]
    with tenant_context(tenant):
        assert Partner.objects.get(pk=waiting["baltic"].pk).lead_approved_by == team["luis"]


def test_the_dashboard_card_counts_what_waits_and_links_to_the_queue(web, team, waiting):
    html = web(team["luis"]).get("/t/alpha/").content.decode()

    card = html.split('data-testid="approvals-panel"')[1].split("</ul>")[0]
    assert re.search(r'data-queue="signing">.*?<span class="badge badge-warn">2</span>', card, re.S)
    assert re.search(r'data-queue="deals">.*?<span class="badge badge-warn">2</span>', card, re.S)
    assert "the oldest has waited 1\xa0week" in card  # Baltic, asked 9 days ago
    assert 'href="/t/alpha/approvals/#signing"' in card
    assert 'href="/t/alpha/approvals/"' in html  # the menu's entry too
