"""Membership rules and tenant provisioning."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from onboarding.models import ChecklistTemplateStep, Course
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership, Tenant
from prm.tenancy.services import member_change_role, member_remove
from scorecards.models import Kpi

pytestmark = pytest.mark.django_db


def _memberships() -> int:
    return sum(Membership.objects.for_tenant(t).count() for t in Tenant.objects.all())


def test_the_last_admin_cannot_be_demoted_or_removed(tenant, member):
    admin = member(tenant, Role.ADMIN)
    other = member(tenant, Role.FINANCE)
    membership = Membership.objects.for_tenant(tenant).get(user=admin)
    with pytest.raises(ValidationError):
        member_change_role(membership=membership, actor=admin, role=Role.FINANCE)
    with pytest.raises(ValidationError):
        member_remove(membership=membership, actor=other)
    assert Membership.objects.for_tenant(tenant).get(user=admin).role == Role.ADMIN


def test_role_change_is_audited_with_before_and_after(tenant, member):
    admin = member(tenant, Role.ADMIN)
    finance = Membership.objects.for_tenant(tenant).get(user=member(tenant, Role.FINANCE))
    member_change_role(membership=finance, actor=admin, role=Role.REGIONAL_LEAD)

    entry = AuditEntry.objects.for_tenant(tenant).get(action="membership.role_changed")
    assert entry.changes == {"role": ["finance", "regional_lead"]}
    assert entry.actor == admin


def test_create_tenant_command_provisions_tenant_and_admin():
    call_command(
        "create_tenant",
        "initech",
        "--name",
        "Initech",
        "--currency",
        "usd",
        "--admin-username",
        "bill",
        "--admin-email",
        "bill@initech.example",
        "--admin-password",
        "Tps-report-2026",
    )
    tenant = Tenant.objects.get(slug="initech")
    assert tenant.currency == "USD"
    membership = Membership.objects.for_tenant(tenant).get()
    assert membership.role == Role.ADMIN and membership.user.check_password("Tps-report-2026")
    # the domain apps' defaults come with it: the seven KPIs and the onboarding checklist and courses

    assert Kpi.objects.for_tenant(tenant).count() == 7
    assert ChecklistTemplateStep.objects.for_tenant(tenant).count() == 5
    assert Course.objects.for_tenant(tenant).filter(required_for_certification=True).count() == 4


@pytest.mark.parametrize("clash", ["slug", "username"])
def test_create_tenant_creates_nothing_when_slug_or_user_is_taken(tenant, clash):
    get_user_model().objects.create_user("bill", "bill@example.com", "x")
    args = {"slug": "alpha" if clash == "slug" else "fresh", "user": "bill" if clash == "username" else "new"}
    before = (Tenant.objects.count(), get_user_model().objects.count(), _memberships())
    with pytest.raises(CommandError, match="Nothing was created") as error:
        call_command(
            "create_tenant",
            args["slug"],
            "--name",
            "X",
            "--admin-username",
            args["user"],
            "--admin-email",
            "x@example.com",
            "--admin-password",
            "Tps-report-2026",
        )
    assert ("slug" if clash == "slug" else "admin_username") in str(error.value)
    after = (Tenant.objects.count(), get_user_model().objects.count(), _memberships())
    assert after == before
