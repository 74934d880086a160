"""The onboarding list as a channel manager reads it, with a large channel."""

import pytest

from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_onboarding_list_pages_by_fifty_and_filters_by_stage_and_name(tenant, member, web):
    # given: 55 signed partners, one certified, one still prospecting
    for n in range(55):
        PartnerFactory(tenant=tenant, name=f"Signed {n:02}", stage="signed")
    PartnerFactory(tenant=tenant, name="Certified One", stage="certified")
    PartnerFactory(tenant=tenant, name="Prospect", stage="prospecting")
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    # when
    first = client.get("/t/alpha/onboarding/")
    second = client.get("/t/alpha/onboarding/?page=2")
    certified = client.get("/t/alpha/onboarding/?stage=certified")
    searched = client.get("/t/alpha/onboarding/?q=signed+05")

    # then: 50 a page in name order, the rest on the next; the filters narrow it
    assert [p.name for p in first.context["partners"]][:2] == ["Certified One", "Signed 00"]
    assert len(first.context["partners"]) == 50 and "Page 1 of 2" in first.content.decode()
    assert len(second.context["partners"]) == 6
    assert [p.name for p in certified.context["partners"]] == ["Certified One"]
    assert [p.name for p in searched.context["partners"]] == ["Signed 05"]
    assert "Prospect" not in first.content.decode()
