"""Onboarding owns its programme settings: defaults, what is stored under its key, validation."""

import pytest

from onboarding.programme import NAMES, OnboardingProgramme, onboarding_programme_for, read, validate
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def test_a_new_tenant_has_the_playbooks_defaults(tenant):
    assert onboarding_programme_for(tenant) == OnboardingProgramme(
        certification_reminder_days=30, certification_lapse="back_to_signed"
    )


def test_the_settings_are_read_from_onboardings_own_key_only():
    tenant = TenantFactory(
        programme_settings={
            "onboarding": {"certification_reminder_days": "0"},
            "partners": {"certification_lapse": "keep"},  # not onboarding's section
        }
    )

    programme = onboarding_programme_for(tenant)

    assert (programme.certification_reminder_days, programme.certification_lapse) == (0, "back_to_signed")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"certification_reminder_days": -1}, "certification_reminder_days"),
        ({"certification_reminder_days": 366}, "certification_reminder_days"),
        ({"certification_lapse": "forget"}, "certification_lapse"),
    ],
)
def test_a_bad_value_is_an_error_naming_its_field(values, field):
    assert list(validate(values)) == [field]


def test_good_values_are_no_error():
    assert validate({"certification_reminder_days": 0, "certification_lapse": "keep"}) == {}
    assert set(NAMES) == set(vars(read({})))
