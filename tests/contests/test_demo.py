"""The demo: a contest runs now in the acme tenant, its trip a catalogue reward (an item prize), and
its demo partner (Nordwind Systems) has a rank."""

import pytest
from django.core.management import call_command

from partners.models import PartnerUser
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from rewards.contests import standings
from rewards.contests.models import Contest

pytestmark = pytest.mark.django_db


def test_the_demo_partner_has_a_rank_in_a_running_contest(client):
    call_command("seed_demo", verbosity=0)
    tenant = Tenant.objects.get(slug="acme")
    with tenant_context(tenant):
        link = (
            PartnerUser.objects.for_tenant(tenant)
            .select_related("partner", "membership__user")
            .get(membership__user__username="acme-partner")
        )
        running = [c for c in Contest.objects.for_tenant(tenant) if c.status == "running"]
        standing = standings.standing_of(running[0], link.partner_id)
        ranked = standings.ranked_count(running[0])
        item_prizes = [p.item.name for c in running for p in c.prizes.all() if p.kind == "item"]
    assert link.partner.name == "Nordwind Systems"
    assert standing is not None and standing.rank >= 1 and ranked > 1
    assert item_prizes == ["Partner summit in Lisbon"]

    client.force_login(link.membership.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/t/acme/rewards/contests/{running[0].pk}/").content.decode()
    assert f"Rank {standing.rank} of {ranked}" in page and "Partner summit in Lisbon" in page
