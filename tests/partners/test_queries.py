"""Each statement of ``partners/queries.py`` returns what the ORM returns for the same question,
on a small channel of two tenants (row-level security and the tenant filter keep the other out)."""

import pytest

from partners.models import Contact, Partner
from partners.queries import contacts_of, kept_partner_count
from prm.tenancy.context import tenant_context
from tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db
FIELDS = ["id", "name", "email", "role"]


@pytest.fixture
def channel(tenant, other_tenant):
    with tenant_context(other_tenant.pk):
        elsewhere = PartnerFactory(tenant=other_tenant)
        ContactFactory(tenant=other_tenant, partner=elsewhere, name="Elsewhere")
    with tenant_context(tenant.pk):
        with_two, with_one, without = (PartnerFactory(tenant=tenant) for _ in range(3))
        ContactFactory(tenant=tenant, partner=with_two, name="Zoe")
        ContactFactory(tenant=tenant, partner=with_two, name="Adam")
        ContactFactory(tenant=tenant, partner=with_one, name="Mia")
    return [with_two, with_one, without, elsewhere]


def test_kept_partner_count_is_the_tenants_count(tenant, other_tenant, channel):
    with tenant_context(tenant.pk):
        assert kept_partner_count(tenant.pk) == Partner.objects.for_tenant(tenant).count() == 3
    with tenant_context(other_tenant.pk):
        assert kept_partner_count(other_tenant.pk) == Partner.objects.for_tenant(other_tenant).count() == 1


def test_contacts_of_are_the_orms_contacts_in_their_order(tenant, channel):
    with tenant_context(tenant.pk):
        ids = [p.pk for p in channel]
        orm = {}
        for contact in (
            Contact.objects.for_tenant(tenant).filter(partner_id__in=ids).order_by(*Contact._meta.ordering)
        ):
            orm.setdefault(contact.partner_id, []).append({f: getattr(contact, f) for f in FIELDS})
        assert contacts_of(tenant.pk, ids, FIELDS) == orm
        assert set(orm) == {channel[0].pk, channel[1].pk}  # no contact, no key; not the other tenant's
        assert [c["name"] for c in orm[channel[0].pk]] == ["Adam", "Zoe"]
        assert contacts_of(tenant.pk, [], FIELDS) == {}
