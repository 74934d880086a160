"""The programme settings page composes every app's section: it shows them in the apps' order,
each its own form that saves a change under its app's key (one audit entry each), and shows an
error on the field that has it, storing nothing."""

import pytest

from incentives.programme import incentive_programme_for
from onboarding.programme import onboarding_programme_for
from partners.forms.programme import SectionForm
from partners.programme.settings import programme_for
from prm.audit.models import AuditEntry
from prm.programme import programme_sections
from prm.tenancy.choices import Role
from scorecards.programme import scorecard_programme_for

pytestmark = pytest.mark.django_db

URL = "/t/alpha/programme/"


def posted(initial: dict, **changes) -> dict:
    """The page as the browser posts it: its initial values with ``changes`` (an unticked box is
    not posted, None is an empty field)."""
    data = {}
    for name, value in {**initial, **changes}.items():
        if value is False:
            continue
        data[name] = "" if value is None else ("on" if value is True else value)
    return data


def section_posted(tenant, key: str, **changes) -> dict:
    """One section's form as the browser posts it (its ``section`` named)."""
    section = next(s for s in programme_sections() if s.key == key)
    return {**posted(SectionForm.initial_for(section, tenant), **changes), "section": key}


def test_the_page_shows_every_apps_section_in_order(web, tenant, member):
    page = web(member(tenant, Role.ADMIN)).get(URL).content.decode()

    sections = ["partners", "scorecards", "incentives", "onboarding"]
    starts = [page.index(f'id="programme-{section}"') for section in sections]
    assert starts == sorted(starts)
    ends = [*starts[1:], len(page)]
    for start, end, field in zip(
        starts,
        ends,
        ["id_tier_SHS", "id_attainment_cap", "id_jump_factor", "id_certification_lapse"],
        strict=True,
    ):
        assert start < page.index(f'id="{field}"') < end


def test_each_section_saves_under_its_apps_key(web, tenant, member):
    admin = web(member(tenant, Role.ADMIN))
    saves = {
        "partners": {"protection_days": 45},
        "scorecards": {"attainment_cap": 150, "remind_end_customers": True},
        "incentives": {"jump_factor": 2, "pay_unsigned_partners": False},
        "onboarding": {"certification_lapse": "keep"},
    }

    for key, changes in saves.items():
        response = admin.post(URL, section_posted(tenant, key, **changes))
        assert response.status_code == 302, (key, response.content[:500])
        assert response["Location"].endswith(f"{URL}#programme-{key}"), "no tiering change: no job"

    tenant.refresh_from_db()
    assert programme_for(tenant).protection_days == 45
    assert (
        scorecard_programme_for(tenant).attainment_cap,
        scorecard_programme_for(tenant).remind_end_customers,
    ) == (
        150,
        True,
    )
    incentives = incentive_programme_for(tenant)
    assert (incentives.jump_factor, incentives.pay_unsigned_partners) == (2.0, False)
    assert onboarding_programme_for(tenant).certification_lapse == "keep"
    stored = tenant.programme_settings
    assert stored["partners"]["protection_days"] == 45 and "attainment_cap" not in stored["partners"]
    assert stored["scorecards"]["attainment_cap"] == 150
    assert stored["incentives"]["pay_unsigned_partners"] is False
    assert stored["onboarding"]["certification_lapse"] == "keep"
    changes = {}
    for entry in AuditEntry.objects.for_tenant(tenant).filter(action="programme.changed"):
        changes.update(entry.changes)
    assert {"protection_days", "attainment_cap", "jump_factor", "certification_lapse"} <= set(changes)

    # and the page shows what was saved
    forms = {form.key: form for form in admin.get(URL).context["forms"]}
    assert (
        forms["scorecards"]["attainment_cap"].value(),
        forms["onboarding"]["certification_lapse"].value(),
    ) == (
        150,
        "keep",
    )


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [
        ("partners", "protection_days", 0),
        ("scorecards", "attainment_cap", 99),
        ("incentives", "jump_factor", 1),
        ("onboarding", "certification_reminder_days", 400),
        ("partners", "threshold_autonomy", 101),  # a nested setting
    ],
)
def test_an_error_is_shown_on_its_field_and_nothing_is_stored(web, tenant, member, key, field, value):
    response = web(member(tenant, Role.ADMIN)).post(URL, section_posted(tenant, key, **{field: value}))

    assert response.status_code == 400
    forms = {form.key: form for form in response.context["forms"]}
    assert list(forms[key].errors) == [field]
    assert all(not form.is_bound for k, form in forms.items() if k != key)
    assert 'class="field field-error"' in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.programme_settings == {}
    assert not AuditEntry.objects.for_tenant(tenant).filter(action="programme.changed").exists()
