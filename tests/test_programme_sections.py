"""The programme's sections: every app with settings declares one, no name twice, and the
``programme/`` endpoint keeps the flat shape its clients know."""

import pytest
from django.core.exceptions import ValidationError

from partners.api.serializers.programme import ProgrammeSerializer
from partners.programme.settings import programme_save
from prm.programme import ProgrammeSection, programme_sections, programme_store, register_programme_section
from prm.tenancy.choices import Role

pytestmark = pytest.mark.django_db

#: the names of ``programme/`` when partners kept every app's settings: the API's contract
CONTRACT = {
    "time_boxes",
    "protection_days",
    "deals_auto_win",
    "tier_window_days",
    "assessment_weight",
    "thresholds",
    "tier_table",
    "gate_minimums",
    "revenue_weight",
    "attainment_cap",
    "balance_spread",
    "jump_factor",
    "jump_minimum",
    "pay_unsigned_partners",
    "answer_within_days",
    "selling_stages",
    "willingness_weights",
    "mdf_over_claim",
    "certification_reminder_days",
    "certification_lapse",
    "health_quiet_days",
    "health_return_amount",
    "visit_cadence_per_day",
    "service_reminder_days",
    "remind_end_customers",
    "tier_rows",
    "tier_recompute",
    "audit_retention_months",
    "lost_partner_retention_months",
}


def test_each_app_with_settings_declares_its_section_owning_its_names():
    sections = programme_sections()

    assert [section.key for section in sections] == ["partners", "scorecards", "incentives", "onboarding", "privacy"]
    names = [name for section in sections for name in section.names]
    assert len(names) == len(set(names))
    for section in sections:
        assert set(section.api_fields()) == set(section.names)
        assert set(section.body(section.read({}))) == set(section.names)


def test_the_endpoint_keeps_its_shape(api, tenant, member):
    body = api(member(tenant, Role.FINANCE)).get("/api/v1/tenants/alpha/programme/").json()

    assert set(body) == CONTRACT
    assert set(ProgrammeSerializer().fields) == CONTRACT
    assert body["selling_stages"] == ["strategic", "signed", "certified"]
    assert body["time_boxes"] == {"prospecting": 7, "first_talks": 30, "selection": 90}


def test_a_name_another_section_owns_cannot_be_declared_again():
    intruder = ProgrammeSection(
        key="intruder",
        title="Intruder",
        names=("jump_factor",),
        read=dict,
        validate=lambda values: {},
        form_fields=dict,
        api_fields=dict,
    )
    with pytest.raises(ValueError, match="jump_factor"):
        register_programme_section(intruder)
    assert "intruder" not in [section.key for section in programme_sections()]


def test_a_name_no_section_owns_is_a_programming_error(tenant):
    with pytest.raises(ValueError, match="nonsense"):
        programme_store(tenant=tenant, values={"nonsense": 1})


def test_an_error_in_one_section_stores_no_other(tenant, member):
    with pytest.raises(ValidationError) as refused:
        programme_save(
            tenant=tenant,
            actor=member(tenant, Role.ADMIN),
            values={"protection_days": 30, "attainment_cap": 150, "jump_factor": 1},
        )

    assert set(refused.value.message_dict) == {"jump_factor"}
    tenant.refresh_from_db()
    assert tenant.programme_settings == {}
