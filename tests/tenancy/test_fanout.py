"""Beat jobs run tenant by tenant: one tenant's failure is logged and reported, the others run."""

import logging

import pytest

from partners.models import Partner
from prm.tenancy.context import current_scope
from prm.tenancy.fanout import for_each_tenant
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_each_tenant_runs_in_its_own_scope_and_a_failing_one_does_not_stop_the_others(
    tenant, other_tenant, caplog
):

    PartnerFactory(tenant=tenant)
    PartnerFactory.create_batch(2, tenant=other_tenant)
    seen = []

    def work(t):
        seen.append((t.slug, current_scope().tenant_id))
        if t.slug == "alpha":
            Partner.objects.for_tenant(t).update(name="half-written")
            raise RuntimeError("alpha is broken")
        return {"partners": Partner.objects.count()}

    with caplog.at_level(logging.ERROR, logger="prm.beat"):
        result = for_each_tenant("test.job", work)

    assert result == {"totals": {"partners": 2}, "failed": ["alpha"]}
    assert seen == [("alpha", tenant.pk), ("beta", other_tenant.pk)]
    assert "test.job failed for tenant alpha" in caplog.text
    assert not Partner.objects.for_tenant(tenant).filter(name="half-written").exists(), (
        "the failed tenant rolled back"
    )
