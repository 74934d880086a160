"""Choosing a partner by typing its name, wherever staff pick one (no select of every partner)."""

import pytest

from incentives.models import MdfRequest
from partners.picker import PartnerPickerField
from prm.tenancy.choices import Role
from tests.factories import IncentiveRuleFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_suggestions_match_part_of_the_name_in_this_tenant_only(tenant, other_tenant, member, web):
    # given
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems")
    PartnerFactory(tenant=tenant, name="Baltic Motion")
    PartnerFactory(tenant=other_tenant, name="Nordwind Inc")

    # when
    body = web(member(tenant)).get("/t/alpha/partners/picker/?field=partner&partner=nordw").content.decode()

    # then
    assert body.strip() == f'<option value="Nordwind Systems · #{nordwind.pk}"></option>'


def test_suggestions_stop_at_twenty(tenant, member, web):
    # given
    for n in range(25):
        PartnerFactory(tenant=tenant, name=f"Reseller {n:02}")

    # when
    body = web(member(tenant)).get("/t/alpha/partners/picker/?q=reseller").content.decode()

    # then
    assert body.count("<option") == 20 and "Reseller 00" in body


def test_a_partner_user_gets_no_suggestions(tenant, partner_user, web):
    assert web(partner_user(tenant)).get("/t/alpha/partners/picker/?q=a").status_code == 403


@pytest.mark.parametrize("typed", ["Nordwind Systems · #{pk}", "#{pk}", "{pk}", "nordwind systems"])
def test_the_field_takes_a_suggestion_an_id_or_the_exact_name(tenant, typed):
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems")

    assert PartnerPickerField(tenant=tenant).clean(typed.format(pk=nordwind.pk)) == nordwind


def test_the_field_refuses_another_tenants_partner_and_an_unknown_or_shared_name(tenant, other_tenant):
    field = PartnerPickerField(tenant=tenant)
    stranger = PartnerFactory(tenant=other_tenant, name="Elsewhere")
    PartnerFactory(tenant=tenant, name="Twin")
    PartnerFactory(tenant=tenant, name="Twin")

    for typed, message in [
        (f"#{stranger.pk}", f"no partner is called “#{stranger.pk}”"),
        ("Nobody", "no partner is called “Nobody”"),
        ("Twin", "Several partners are called “Twin”"),
    ]:
        with pytest.raises(Exception) as refused:
            field.clean(typed)
        assert message in str(refused.value)


def test_staff_request_mdf_for_a_partner_chosen_by_name(tenant, member, web):
    # given

    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    rule = IncentiveRuleFactory(tenant=tenant, kind="mdf", name="MDF", params={"budget": "5000"})
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    # when
    page = client.get("/t/alpha/mdf/").content.decode()
    response = client.post(
        "/t/alpha/mdf/requests/",
        {
            "form": "request",
            "partner": "Nordwind Systems",
            "rule": rule.pk,
            "period": "2026-Q3",
            "plan": "Trade show",
            "amount": "1000",
        },
    )

    # then
    assert 'list="id_partner-options"' in page and "partner id" not in page
    assert response.status_code == 302
    assert MdfRequest.objects.for_tenant(tenant).get().partner == nordwind
