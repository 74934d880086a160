"""The partners pages as managers and partners use them."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from partners.models import Objection, Partner, Sale, Visit
from partners.programme.settings import programme_for
from partners.tiering.rule import AXES
from prm.audit.models import AuditEntry
from prm.portal.charts import Bar, funnel_chart
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import AssessmentFactory, ContactFactory, DealRegistrationFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_web(web, tenant, member):
    return web(member(tenant, Role.CHANNEL_MANAGER))


def test_board_shows_columns_counts_and_overdue_cards(manager_web, tenant):
    late = PartnerFactory(
        tenant=tenant, name="Late", stage="first_talks", stage_due_at=timezone.now() - timedelta(days=2)
    )
    PartnerFactory(
        tenant=tenant, name="Early", stage="first_talks", stage_due_at=timezone.now() + timedelta(days=2)
    )
    html = manager_web.get("/t/alpha/pipeline/").content.decode()
    assert 'data-stage="first_talks"' in html and "1 overdue" in html
    card = html.split(f'data-testid="card-{late.pk}"')[0].rsplit("<article", 1)[1]
    assert "overdue" in card
    assert "<svg" in html and "Pipeline funnel" in html


def test_a_long_column_shows_the_soonest_due_and_links_to_the_rest(
    manager_web, tenant, django_assert_max_num_queries
):
    # given: 30 partners in selection, due one day after another, and 2 in signed
    now = timezone.now()
    for n in range(30):
        PartnerFactory(
            tenant=tenant, name=f"Reseller {n:02}", stage="selection", stage_due_at=now + timedelta(days=n)
        )
    PartnerFactory.create_batch(2, tenant=tenant, stage="signed")

    # when
    with django_assert_max_num_queries(20):
        response = manager_web.get("/t/alpha/pipeline/")

    # then: the column counts all 30, shows the 25 soonest due, and links to the rest
    columns = {c["stage"]: c for c in response.context["columns"]}
    assert columns["selection"]["count"] == 30 and len(columns["selection"]["cards"]) == 25
    assert [p.name for p in columns["selection"]["cards"]][:2] == ["Reseller 00", "Reseller 01"]
    assert columns["selection"]["more"] == 5 and columns["signed"]["more"] == 0
    html = response.content.decode()
    assert (
        "and 5 more in the list" in html
        and "/t/alpha/partners/?stage=selection&amp;ordering=stage_due_at" in html
    )
    assert 'data-testid="more-signed"' not in html


def test_the_funnel_says_why_its_bars_are_larger_than_the_columns(manager_web, tenant):
    # given: one partner in selection, one signed
    PartnerFactory(tenant=tenant, stage="selection")
    PartnerFactory(tenant=tenant, stage="signed")

    # when
    response = manager_web.get("/t/alpha/pipeline/")

    # then: the selection column holds 1, its funnel bar 2 (it and the signed one), and the page says so
    columns = {c["stage"]: c for c in response.context["columns"]}
    assert columns["selection"]["count"] == 1
    assert "Selection: 2, Strategic: 1, Signed: 1" in response.content.decode()
    assert "those that went on to later stages" in response.content.decode()


def test_move_button_on_the_board_moves_the_partner_and_returns(manager_web, tenant):
    partner = PartnerFactory(tenant=tenant)
    ContactFactory(tenant=tenant, partner=partner)
    response = manager_web.post(
        f"/t/alpha/partners/{partner.pk}/transition/", {"to": "first_talks", "next": "/t/alpha/pipeline/"}
    )
    assert response.status_code == 302 and response["Location"] == "/t/alpha/pipeline/"
    assert Partner.objects.for_tenant(tenant).get(pk=partner.pk).stage == "first_talks"


def test_a_refused_move_shows_every_unmet_gate(manager_web, tenant):
    partner = PartnerFactory(tenant=tenant)
    page = manager_web.post(f"/t/alpha/partners/{partner.pk}/transition/", {"to": "selection"}, follow=True)
    html = page.content.decode()
    assert "First talks need at least one contact person." in html
    assert "Selection needs at least one logged visit." in html
    assert Partner.objects.for_tenant(tenant).get(pk=partner.pk).stage == "prospecting"


def test_visit_form_shows_the_playbook_and_logs_objections(manager_web, tenant):
    partner = PartnerFactory(tenant=tenant)
    form = manager_web.get(f"/t/alpha/partners/{partner.pk}/visits/new/").content.decode()
    assert 'data-testid="playbook"' in form and "propose one trial deal" in form
    response = manager_web.post(
        f"/t/alpha/partners/{partner.pk}/visits/new/",
        {
            "date": "2026-11-01",
            "kind": "visit",
            "summary": "Met the owner",
            "objection_price": "Margin too thin",
        },
    )
    assert response.status_code == 302
    with tenant_context(tenant):
        visit = Visit.objects.get(partner=partner)
        assert [(o.type, o.note) for o in Objection.objects.filter(visit=visit)] == [
            ("price", "Margin too thin")
        ]


def test_partner_page_explains_the_tier_and_shows_the_timeline(manager_web, tenant):
    partner = PartnerFactory(
        tenant=tenant,
        computed_tier="C",
        tier_axes={
            "axes": {
                "competitiveness": {
                    "score": 72.0,
                    "threshold": 50.0,
                    "strong": True,
                    "measured": 80.0,
                    "assessed": 60.0,
                }
            },
            "inputs": {"revenue": 1000},
        },
    )
    html = manager_web.get(f"/t/alpha/partners/{partner.pk}/").content.decode()
    assert 'data-testid="tier-why"' in html and "72.0" in html and "threshold 50.0" in html
    assert 'class="tier tier-C"' in html


def test_sales_import_page_lists_errors_by_row_and_imports_nothing(manager_web, tenant):
    partner = PartnerFactory(tenant=tenant)
    content = f"external_id,partner,date,product,amount\nS1,{partner.pk},2026-01-01,Arm,10\nS2,999,2026-01-01,Arm,10\n"
    upload = io.BytesIO(content.encode())
    upload.name = "sales.csv"
    response = manager_web.post("/t/alpha/sales/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="import-errors"' in html
    assert "<td>3</td><td><code>partner</code></td>" in html
    assert not Sale.objects.for_tenant(tenant).exists()


def test_partner_user_registers_and_sees_only_its_own_deals(web, tenant, partner_user):
    mine, theirs = PartnerFactory(tenant=tenant), PartnerFactory(tenant=tenant)
    DealRegistrationFactory(tenant=tenant, partner=theirs, customer="Secret Customer")
    client = web(partner_user(tenant, partner=mine))
    response = client.post("/t/alpha/deals/", {"customer": "Open Co", "expected_amount": "500"}, follow=True)
    html = response.content.decode()
    assert "Open Co" in html and "Secret Customer" not in html
    assert client.get("/t/alpha/partners/").status_code == 403
    home = client.get("/t/alpha/").content.decode()
    assert 'data-testid="own-partner"' in home and mine.name in home


def test_finance_sees_partners_but_cannot_move_them(web, tenant, member):
    client = web(member(tenant, Role.FINANCE))
    partner = PartnerFactory(tenant=tenant)
    assert client.get(f"/t/alpha/partners/{partner.pk}/").status_code == 200
    assert (
        client.post(f"/t/alpha/partners/{partner.pk}/transition/", {"to": "first_talks"}).status_code == 403
    )


def test_tiers_page_shows_the_rule_for_every_combination(manager_web):
    html = manager_web.get("/t/alpha/tiers/").content.decode()
    rule = html.split('data-testid="tier-rule"')[1].split("</table>")[0]
    assert rule.count("<tr") == 9  # header and eight combinations


def test_partner_list_page_query_count_is_flat(manager_web, tenant, django_assert_max_num_queries):
    PartnerFactory.create_batch(3, tenant=tenant)
    with django_assert_max_num_queries(30) as few:
        manager_web.get("/t/alpha/partners/")
    PartnerFactory.create_batch(30, tenant=tenant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert manager_web.get("/t/alpha/partners/").status_code == 200


def test_admin_sets_time_boxes_and_thresholds_and_they_apply(web, tenant, member):

    admin = member(tenant, Role.ADMIN)
    data = {
        "section": "partners",  # the page saves one section at a time
        "protection_days": 30,
        "tier_window_days": 180,
        "assessment_weight": 0.5,
        "box_prospecting": 3,
        "box_first_talks": "",
        "box_selection": 60,
        "box_strategic": "",
        "box_signed": "",
        "threshold_competitiveness": 60,
        "threshold_willingness": 40,
        "threshold_autonomy": 50,
        **{f"tier_{key}": tier for key, tier in programme_for(tenant).tier_table.items()},
        "selling_stages": ["strategic", "signed", "certified"],
    }
    response = web(admin).post("/t/alpha/programme/", data)
    assert response.status_code == 302 and "/jobs/" in response["Location"], (
        "new thresholds: tiers recomputed"
    )
    tenant.refresh_from_db()
    programme = programme_for(tenant)
    assert programme.time_box_days("prospecting") == 3 and programme.time_box_days("first_talks") is None
    assert programme.protection_days == 30 and programme.thresholds["competitiveness"] == 60
    assert AuditEntry.objects.for_tenant(tenant).filter(action="programme.changed").exists()
    assert web(member(tenant, Role.CHANNEL_MANAGER)).get("/t/alpha/programme/").status_code == 403


def test_admin_changes_a_fill_in_of_the_tier_table_and_the_tiers_follow(
    web, tenant, member, django_capture_on_commit_callbacks
):
    # given: a strong, willing partner without autonomy (A by default)

    admin = member(tenant, Role.ADMIN)
    partner = PartnerFactory(tenant=tenant, stage="signed")
    AssessmentFactory(
        tenant=tenant,
        partner=partner,
        kind="tier",
        ratings={axis: {"score": r} for axis, r in zip(AXES, (5, 5, 1), strict=True)},
    )
    programme = programme_for(tenant)
    data = {
        "section": "partners",
        "protection_days": programme.protection_days,
        "tier_window_days": programme.tier_window_days,
        "assessment_weight": 1,
        **{f"box_{k}": v for k, v in programme.time_boxes.items()},
        **{f"threshold_{k}": v for k, v in programme.thresholds.items()},
        **{f"tier_{k}": v for k, v in programme.tier_table.items()},
        "tier_SHW": "B",
        "selling_stages": ["strategic", "signed", "certified"],
    }

    # when: the admin sets it to B (the recompute runs as a job, eagerly here)
    with django_capture_on_commit_callbacks(execute=True):
        response = web(admin).post("/t/alpha/programme/", data)

    # then
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert (
        programme_for(Partner.objects.for_tenant(tenant).get(pk=partner.pk).tenant).tier_table["SHW"] == "B"
    )
    assert Partner.objects.for_tenant(tenant).get(pk=partner.pk).computed_tier == "B"
    page = web(admin).get("/t/alpha/tiers/").content.decode()
    assert 'data-key="SHW"' in page and "set by the tenant" in page


def test_partner_list_ignores_an_unknown_ordering(manager_web, tenant):
    PartnerFactory(tenant=tenant, name="Bravo Ltd")
    PartnerFactory(tenant=tenant, name="Alpha Ltd")
    assert manager_web.get("/t/alpha/partners/?ordering=owner__password").status_code == 200
    html = manager_web.get("/t/alpha/partners/?ordering=-name").content.decode()
    assert html.index("Bravo Ltd") < html.index("Alpha Ltd")


def test_an_invalid_tier_override_leaves_the_override_alone(manager_web, tenant):
    partner = PartnerFactory(tenant=tenant, tier_override="B", tier_override_reason="Key account")
    manager_web.post(f"/t/alpha/partners/{partner.pk}/tier-override/", {"tier": "Z", "reason": ""})
    partner.refresh_from_db()
    assert partner.tier_override == "B" and partner.tier_override_reason == "Key account"


def test_editing_a_partner_in_the_portal_is_audited(manager_web, tenant):

    partner = PartnerFactory(tenant=tenant, region="North")
    data = {"name": partner.name, "region": "South", "country": "DE", "source": "other"}
    assert manager_web.post(f"/t/alpha/partners/{partner.pk}/edit/", data).status_code == 302
    entry = AuditEntry.objects.for_tenant(tenant).get(action="partner.updated")
    assert entry.changes["region"] == ["North", "South"]


def test_a_long_stage_name_fits_left_of_the_funnel():
    # given: pt-BR's "Primeiras conversas" was clipped at 120 px

    # when
    svg = funnel_chart([Bar("Primeiras conversas", 3), Bar("Seleção", 1)], title="Funil")

    # then: the label ends left of where the widest bar starts
    label_end = int(svg.split('<text x="')[1].split('"')[0])
    first_bar_x = float(svg.split('<rect x="')[1].split('"')[0])
    assert label_end >= 7 * len("Primeiras conversas") and first_bar_x >= label_end


def test_a_column_shows_more_cards_on_demand_where_it_left_off(manager_web, tenant):
    # given: 30 partners in selection, due one day after another
    now = timezone.now()
    for n in range(30):
        PartnerFactory(
            tenant=tenant, name=f"Reseller {n:02}", stage="selection", stage_due_at=now + timedelta(days=n)
        )

    # when: the column's "show more" asks for what follows its first 25 cards
    html = manager_web.get("/t/alpha/pipeline/").content.decode()
    more = manager_web.get("/t/alpha/pipeline/?column=selection&after=25", HTTP_HX_REQUEST="true")

    # then: the page offers it; the answer is the five last cards only, and nothing more to show
    assert 'data-testid="show-more-selection"' in html and "Show more (5 left)" in html
    body = more.content.decode()
    assert "<html" not in body
    assert [c.name for c in more.context["column"]["cards"]] == [f"Reseller {n}" for n in range(25, 30)]
    assert "Reseller 24" not in body and "Reseller 29" in body and "show-more-selection" not in body


def test_the_board_filters_by_owner_tier_overdue_and_a_search(manager_web, tenant, member):
    # given: two owners' partners, one of them overdue and in tier A
    ana, ben = member(tenant, Role.CHANNEL_MANAGER, first_name="Ana"), member(tenant, Role.CHANNEL_MANAGER)
    PartnerFactory(
        tenant=tenant,
        name="Late Ana",
        stage="selection",
        owner=ana,
        computed_tier="A",
        stage_due_at=timezone.now() - timedelta(days=3),
    )
    PartnerFactory(tenant=tenant, name="Calm Ana", stage="selection", owner=ana, computed_tier="B")
    PartnerFactory(tenant=tenant, name="Ben's", stage="signed", owner=ben, computed_tier="A")

    def board(query):
        response = manager_web.get(f"/t/alpha/pipeline/?{query}")
        columns = {c["stage"]: c for c in response.context["columns"]}
        return {stage: [p.name for p in c["cards"]] for stage, c in columns.items() if c["cards"]}, columns

    # when / then: each filter narrows the cards and the counts
    cards, columns = board(f"owner={ana.pk}")
    assert cards == {"selection": ["Late Ana", "Calm Ana"]} and columns["signed"]["count"] == 0
    assert board("tier=A")[0] == {"selection": ["Late Ana"], "signed": ["Ben's"]}
    assert board("overdue=true")[0] == {"selection": ["Late Ana"]}
    cards, columns = board("q=calm")
    assert cards == {"selection": ["Calm Ana"]} and columns["selection"]["count"] == 1
    assert (
        f'value="{ana.pk}" selected' in manager_web.get(f"/t/alpha/pipeline/?owner={ana.pk}").content.decode()
    )
