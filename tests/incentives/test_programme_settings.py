"""Incentives own their programme settings: defaults, what is stored under their key, validation."""

import pytest

from incentives.programme import NAMES, IncentiveProgramme, incentive_programme_for, read, validate
from partners.programme.settings import programme_save
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def test_a_new_tenant_has_the_playbooks_defaults(tenant):
    assert incentive_programme_for(tenant) == IncentiveProgramme(
        jump_factor=3.0, jump_minimum=1000, pay_unsigned_partners=True, mdf_over_claim="refuse"
    )


def test_the_settings_are_read_from_incentives_own_key_only():
    tenant = TenantFactory(
        programme_settings={
            "incentives": {"jump_factor": "2.5", "jump_minimum": 0, "pay_unsigned_partners": False},
            "partners": {"mdf_over_claim": "pay_remaining"},  # not incentives' section
        }
    )

    programme = incentive_programme_for(tenant)

    assert (programme.jump_factor, programme.jump_minimum, programme.pay_unsigned_partners) == (2.5, 0, False)
    assert programme.mdf_over_claim == "refuse"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"jump_factor": 1}, "jump_factor"),
        ({"jump_minimum": -1}, "jump_minimum"),
        ({"mdf_over_claim": "pay_all"}, "mdf_over_claim"),
    ],
)
def test_a_bad_value_is_an_error_naming_its_field(values, field):
    assert list(validate(values)) == [field]


def test_good_values_are_no_error():
    assert validate({"jump_factor": 1.01, "jump_minimum": 0, "mdf_over_claim": "pay_remaining"}) == {}
    assert set(NAMES) == set(vars(read({})))


def test_a_change_is_stored_under_incentives_key_and_audited(tenant, member):
    programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"pay_unsigned_partners": False})

    tenant.refresh_from_db()
    assert tenant.programme_settings["incentives"] == {"pay_unsigned_partners": False}
    assert incentive_programme_for(tenant).pay_unsigned_partners is False
    entry = AuditEntry.objects.for_tenant(tenant).get(action="programme.changed")
    assert entry.changes == {"pay_unsigned_partners": [None, False]}
