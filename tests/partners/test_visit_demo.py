"""The demo's first visits: today's round prepared by area, a visit prepared and recorded by the
script, and a key partner whose senior leaders met before signing."""

import pytest
from django.utils import timezone

from partners.choices import Stage
from partners.lifecycle.gates import unmet_gates
from partners.models import Partner, Visit, VisitPlan
from partners.visiting import demo
from partners.visiting.reports import visit_step_report
from prm.periods import period_containing
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_demo_prepares_a_round_and_records_a_scripted_visit(tenant, member):
    manager, admin = member(tenant, Role.CHANNEL_MANAGER), member(tenant, Role.ADMIN)
    for name, region in [("Danube Drives", "East"), ("Tagus Engenharia", "South"), ("Vistula", "East")]:
        PartnerFactory(tenant=tenant, name=name, region=region, stage=Stage.FIRST_TALKS)
    key = PartnerFactory(tenant=tenant, name="Iberia Control", stage=Stage.STRATEGIC)

    demo.seed(tenant, manager, admin)
    demo.seed(tenant, manager, admin)  # idempotent

    today = timezone.localdate()
    plans = VisitPlan.objects.for_tenant(tenant)
    assert plans.filter(date=today).count() == 4 and plans.filter(visit__isnull=True).count() == 3
    assert {p.area for p in plans} == {"East", "South"}
    carried_out = plans.get(visit__isnull=False)
    assert carried_out.prepared and carried_out.visit.stopped_at == "maths"
    assert Visit.objects.for_tenant(tenant).exclude(script={}).count() == 3
    report = visit_step_report(tenant=tenant, period=period_containing(today))
    assert {r["step"]: r["stopped"] for r in report["steps"]}["maths"] == 1
    tenant.refresh_from_db()
    key = Partner.objects.for_tenant(tenant).get(pk=key.pk)
    assert key.key_partner and not any("senior-leadership" in m for m in unmet_gates(key, Stage.SIGNED))
