"""GET/PATCH programme/: the partner programme's settings through the API, the tier table included."""

import pytest

from partners.programme.settings import programme_for
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

URL = "/api/v1/tenants/alpha/programme/"


def test_staff_read_the_settings_and_the_whole_tier_table_in_words(api, tenant, member):
    body = api(member(tenant, Role.FINANCE)).get(URL).json()

    assert body["protection_days"] == 90 and body["tier_window_days"] == 365
    assert body["thresholds"] == {"competitiveness": 50.0, "willingness": 50.0, "autonomy": 50.0}
    assert body["tier_table"]["SLW"] == "C"
    row = next(r for r in body["tier_rows"] if r["key"] == "SLW")
    assert row == {
        "key": "SLW",
        "competitiveness": "strong",
        "willingness": "low",
        "autonomy": "weak",
        "tier": "C",
        "named": False,
    }
    assert body["tier_recompute"] is None


def test_an_admin_changes_a_row_and_a_recompute_starts(
    api, tenant, member, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api(member(tenant, Role.ADMIN)).patch(URL, {"tier_table": {"SLW": "D"}}, format="json")

    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["tier_table"]["SLW"] == "D" and body["tier_table"]["SHS"] == "A"
    assert body["tier_recompute"]["kind"] == "recompute_tiers"
    with tenant_context(tenant):
        tenant.refresh_from_db()
        assert programme_for(tenant).tier_table["SLW"] == "D"
        assert AuditEntry.objects.filter(action="programme.changed").exists()


def test_a_change_outside_tiering_starts_no_recompute(api, tenant, member):
    response = api(member(tenant, Role.ADMIN)).patch(URL, {"protection_days": 60}, format="json")

    assert response.status_code == 200
    assert (response.json()["protection_days"], response.json()["tier_recompute"]) == (60, None)
    assert response.json()["time_boxes"]["prospecting"] == 7, "other settings keep their values"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"tier_table": {"XYZ": "A"}}, "tier_table"),
        ({"tier_table": {"SHS": "E"}}, "tier_table"),
        ({"thresholds": {"luck": 50}}, "thresholds"),
        ({"thresholds": {"autonomy": 150}}, "thresholds"),
        ({"time_boxes": {"heaven": 3}}, "time_boxes"),
        ({"assessment_weight": 2}, "assessment_weight"),
        ({"revenue_weight": -0.1}, "revenue_weight"),
        ({"attainment_cap": 90}, "attainment_cap"),
        ({"balance_spread": 0}, "balance_spread"),
        ({"jump_factor": 1}, "jump_factor"),
        ({"jump_minimum": -5}, "jump_minimum"),
    ],
)
def test_a_bad_setting_is_a_400_naming_the_field(api, tenant, member, patch, field):
    response = api(member(tenant, Role.ADMIN)).patch(URL, patch, format="json")

    assert response.status_code == 400 and field in response.json()


def test_the_programmes_decisions_are_settings_with_the_playbooks_defaults(api, tenant, member):
    client = api(member(tenant, Role.ADMIN))
    defaults = client.get(URL).json()

    changed = client.patch(
        URL,
        {
            "attainment_cap": 120,
            "balance_spread": 15,
            "jump_factor": 2.5,
            "jump_minimum": 500,
            "pay_unsigned_partners": False,
            "revenue_weight": 0.5,
        },
        format="json",
    )

    assert {
        k: defaults[k]
        for k in (
            "attainment_cap",
            "balance_spread",
            "jump_factor",
            "jump_minimum",
            "pay_unsigned_partners",
            "revenue_weight",
        )
    } == {
        "attainment_cap": 100,
        "balance_spread": 20,
        "jump_factor": 3.0,
        "jump_minimum": 1000,
        "pay_unsigned_partners": True,
        "revenue_weight": 0.6,
    }
    body = changed.json()
    assert (body["attainment_cap"], body["balance_spread"], body["pay_unsigned_partners"]) == (120, 15, False)
    assert body["tier_recompute"] is not None, "the revenue weight changes tiers"


def test_only_admins_change_and_partners_do_not_read(api, tenant, member, partner_user):
    assert (
        api(member(tenant, Role.CHANNEL_MANAGER))
        .patch(URL, {"protection_days": 5}, format="json")
        .status_code
        == 403
    )
    assert api(partner_user(tenant)).get(URL).status_code == 403


def test_gate_minimums_are_read_and_set_through_the_api(api, tenant, member):
    client = api(member(tenant, Role.ADMIN))

    assert client.get(URL).json()["gate_minimums"] == {"selection": {"integrity": 3}, "strategic": {}}
    response = client.patch(URL, {"gate_minimums": {"strategic": {"rule_respect": 3}}}, format="json")
    assert response.status_code == 200
    assert response.json()["gate_minimums"] == {
        "selection": {"integrity": 3},
        "strategic": {"rule_respect": 3},
    }
    assert client.patch(URL, {"gate_minimums": {"selection": {"luck": 3}}}, format="json").status_code == 400
