"""Scorecards own their programme settings: defaults, what is stored under their key, validation."""

import pytest

from prm.tenancy.choices import Role
from scorecards.programme import NAMES, ScorecardProgramme, read, scorecard_programme_for, validate
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def test_a_new_tenant_has_the_playbooks_defaults(tenant):
    assert scorecard_programme_for(tenant) == ScorecardProgramme(
        attainment_cap=100,
        balance_spread=20,
        min_cohort_size=3,
        answer_within_days=2,
        service_reminder_days=30,
        remind_end_customers=False,
    )


def test_the_settings_are_read_from_scorecards_own_key_only():
    tenant = TenantFactory(
        programme_settings={
            "scorecards": {"attainment_cap": "120", "remind_end_customers": 1},
            "partners": {"balance_spread": 5},  # another app's section: not scorecards'
        }
    )

    programme = scorecard_programme_for(tenant)

    assert (programme.attainment_cap, programme.remind_end_customers) == (120, True)
    assert programme.balance_spread == 20


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"attainment_cap": 99}, "attainment_cap"),
        ({"attainment_cap": 201}, "attainment_cap"),
        ({"balance_spread": 0}, "balance_spread"),
        ({"min_cohort_size": 0}, "min_cohort_size"),
        ({"min_cohort_size": 101}, "min_cohort_size"),
        ({"answer_within_days": 61}, "answer_within_days"),
        ({"service_reminder_days": 0}, "service_reminder_days"),
    ],
)
def test_a_value_out_of_range_is_an_error_naming_its_field(values, field):
    assert list(validate(values)) == [field]


def test_values_in_range_are_no_error():
    good = {
        "attainment_cap": 200,
        "balance_spread": 1,
        "min_cohort_size": 100,
        "answer_within_days": 60,
        "service_reminder_days": 180,
    }
    assert validate(good) == {} and validate({}) == {}
    assert set(NAMES) == set(vars(read({})))


def test_the_programme_endpoint_changes_them_under_scorecards_key(api, tenant, member):
    response = api(member(tenant, Role.ADMIN)).patch(
        "/api/v1/tenants/alpha/programme/", {"balance_spread": 15, "service_reminder_days": 10}, format="json"
    )

    assert response.status_code == 200, response.json()
    tenant.refresh_from_db()
    assert tenant.programme_settings["scorecards"] == {"balance_spread": 15, "service_reminder_days": 10}
    assert "balance_spread" not in tenant.programme_settings.get("partners", {})
