"""The programme's sections: every app with settings declares one, no name twice, and the
``programme/`` endpoint keeps the flat shape its clients know. On the page each section is its own
form: a table of contents leads to them, a save touches only its section, and every setting says
which pages use it."""

import pytest
from django.core.exceptions import ValidationError

from partners.api.serializers.programme import ProgrammeSerializer
from partners.forms.programme import SectionForm
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
    "min_cohort_size",
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
    "sent_mail_retention_months",
    "points_expiry_months",
    "customer_survey_after",
    "customer_survey_delay_days",
    "customer_survey_link_days",
    "customer_survey_reminder_days",
    "survey_min_group",
    "answer_unit",
    "answer_within",
    "below_minimum_earns",
    "breach_days",
    "visit_checklist",
    "key_partner_meeting",
}


def test_each_app_with_settings_declares_its_section_owning_its_names():
    sections = programme_sections()

    assert [section.key for section in sections] == [
        "partners",
        "visits",
        "scorecards",
        "incentives",
        "onboarding",
        "catalogue",
        "surveys",
        "conversations",
        "pricing",
        "privacy",
    ]
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


# --- the page: a form per section ----------------------------------------------------------

PAGE = "/t/alpha/programme/"


def section_post(tenant, key: str, **changes) -> dict:
    """A section's form as the browser posts it: its initial values with ``changes``."""
    section = next(s for s in programme_sections() if s.key == key)
    data = {"section": key}
    for name, value in {**SectionForm.initial_for(section, tenant), **changes}.items():
        if value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = list(value)
        else:
            data[name] = "" if value is None else ("on" if value is True else value)
    return data


def test_every_page_field_says_where_it_is_used():
    for section in programme_sections():
        for name in section.form_fields():
            assert section.used_for(name), f"{section.key}: {name} says no page that uses it"


def test_the_page_has_a_table_of_contents_and_a_save_per_section(web, tenant, member):
    html = web(member(tenant, Role.ADMIN)).get(PAGE).content.decode()

    toc = html[html.index('data-testid="programme-toc"') :]
    for key in ["partners", "scorecards", "incentives", "onboarding"]:
        assert f'href="#programme-{key}"' in toc
        assert f'data-testid="programme-{key}-form"' in html
        assert f'name="section" value="{key}"' in html
    assert html.count('type="submit" class="button"') >= 4


def test_a_setting_links_to_the_page_that_uses_it(web, tenant, member):
    html = web(member(tenant, Role.ADMIN)).get(PAGE).content.decode()

    start = html.index('id="id_protection_days"')
    assert 'Used by: <a href="/t/alpha/deals/">Deal registrations</a>' in html[start : start + 1500]
    start = html.index('id="id_jump_factor"')
    assert '<a href="/t/alpha/payouts/">Payout runs</a>' in html[start : start + 1500]


def test_a_save_touches_only_its_sections_keys(web, tenant, member):
    # given: incentives and onboarding already chosen
    admin = web(member(tenant, Role.ADMIN))
    admin.post(PAGE, section_post(tenant, "incentives", jump_factor=3))
    admin.post(PAGE, section_post(tenant, "onboarding", certification_lapse="keep"))
    tenant.refresh_from_db()
    before = dict(tenant.programme_settings)

    # when: scorecards are saved
    response = admin.post(PAGE, section_post(tenant, "scorecards", attainment_cap=120))

    # then
    assert response.status_code == 302
    assert response["Location"].endswith("#programme-scorecards")
    tenant.refresh_from_db()
    after = tenant.programme_settings
    assert after["scorecards"]["attainment_cap"] == 120
    assert {k: v for k, v in after.items() if k != "scorecards"} == before
    assert "partners" not in after


def test_an_invalid_section_answers_400_in_that_section_and_keeps_the_others(web, tenant, member):
    # when: a bad value in scorecards, beside a good one the other sections never see
    response = web(member(tenant, Role.ADMIN)).post(
        PAGE, section_post(tenant, "scorecards", attainment_cap=99, balance_spread=5)
    )

    # then
    assert response.status_code == 400
    html = response.content.decode()
    section = html[html.index('id="programme-scorecards"') : html.index('id="programme-incentives"')]
    assert "field-error" in section
    assert "field-error" not in html[html.index('id="programme-incentives"') :]
    assert 'value="5"' in section  # what was typed stays in its section
    tenant.refresh_from_db()
    assert tenant.programme_settings == {}


def test_a_post_that_names_no_section_stores_nothing(web, tenant, member):
    response = web(member(tenant, Role.ADMIN)).post(PAGE, {"attainment_cap": 150})

    assert response.status_code == 400
    tenant.refresh_from_db()
    assert tenant.programme_settings == {}
