"""The migrations that give each app's settings its own key keep every tenant's values: run on
the models as they were at each migration, they copy what partners used to store for the other
apps (leaving partners' copies for the previous release while this one rolls out), every app then
reads what the tenant had set, and backwards they put it all back."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from incentives.programme import IncentiveProgramme, incentive_programme_for
from onboarding.programme import OnboardingProgramme, onboarding_programme_for
from partners.programme.settings import programme_for, programme_save
from scorecards.programme import ScorecardProgramme, scorecard_programme_for
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

MOVES = [
    ("incentives", "0013_programme_settings_own_key"),
    ("scorecards", "0013_programme_settings_own_key"),
    ("onboarding", "0005_programme_settings_own_key"),
]

#: what a tenant had stored before, every app's knobs under partners' key
LEGACY = {
    "partners": {
        "protection_days": 30,
        "time_boxes": {"prospecting": 3},
        "tier_table": {"SHW": "B"},
        "attainment_cap": 120,
        "balance_spread": 15,
        "answer_within_days": 5,
        "service_reminder_days": 10,
        "remind_end_customers": True,
        "jump_factor": 2.5,
        "jump_minimum": 500,
        "pay_unsigned_partners": False,
        "mdf_over_claim": "pay_remaining",
        "certification_reminder_days": 0,
        "certification_lapse": "keep",
    },
    "custom": {"kept": "as it is"},
}


class Editor:
    """What the migrations' functions use of a schema editor."""

    connection = connection


def run(direction: str) -> None:
    loader = MigrationLoader(connection)
    moves = MOVES if direction == "forwards" else list(reversed(MOVES))
    for app, name in moves:
        # forwards runs on the models as they were before the migration, backwards after it
        state = loader.project_state((app, name), at_end=direction == "backwards")
        module = importlib.import_module(f"{app}.migrations.{name}")
        getattr(module, direction)(state.apps, Editor())


def test_each_app_finds_the_values_the_tenant_had_set():
    tenant = TenantFactory(programme_settings=LEGACY)
    untouched = TenantFactory(programme_settings={})

    run("forwards")

    tenant.refresh_from_db()
    assert tenant.programme_settings == {
        "partners": LEGACY["partners"],  # as the previous release reads them
        "scorecards": {
            "attainment_cap": 120,
            "balance_spread": 15,
            "answer_within_days": 5,
            "service_reminder_days": 10,
            "remind_end_customers": True,
        },
        "incentives": {
            "jump_factor": 2.5,
            "jump_minimum": 500,
            "pay_unsigned_partners": False,
            "mdf_over_claim": "pay_remaining",
        },
        "onboarding": {"certification_reminder_days": 0, "certification_lapse": "keep"},
        "custom": {"kept": "as it is"},
    }
    assert scorecard_programme_for(tenant) == ScorecardProgramme(
        attainment_cap=120,
        balance_spread=15,
        answer_within_days=5,
        service_reminder_days=10,
        remind_end_customers=True,
    )
    assert incentive_programme_for(tenant) == IncentiveProgramme(2.5, 500, False, "pay_remaining")
    assert onboarding_programme_for(tenant) == OnboardingProgramme(0, "keep")
    partners = programme_for(tenant)
    assert (partners.protection_days, partners.time_box_days("prospecting"), partners.tier_table["SHW"]) == (
        30,
        3,
        "B",
    )
    untouched.refresh_from_db()
    assert untouched.programme_settings == {}


def test_a_value_already_under_the_apps_key_wins_and_backwards_puts_every_value_back():
    tenant = TenantFactory(
        programme_settings={
            "partners": {"jump_factor": 2.5, "protection_days": 30},
            "incentives": {"jump_factor": 4},
        }
    )

    run("forwards")
    tenant.refresh_from_db()
    assert tenant.programme_settings["incentives"] == {"jump_factor": 4}
    assert incentive_programme_for(tenant).jump_factor == 4.0

    legacy = TenantFactory(programme_settings=LEGACY)
    run("forwards")
    legacy.refresh_from_db()
    programme_save(tenant=legacy, actor=None, values={"jump_factor": 5})  # this release changes one
    run("backwards")
    legacy.refresh_from_db()
    assert legacy.programme_settings == {
        **LEGACY,
        "partners": {**LEGACY["partners"], "jump_factor": 5},  # as this release last set it
    }
