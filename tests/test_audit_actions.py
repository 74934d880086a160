"""Audit actions are enumerations each app owns: the trail stores their codes and reads them in words."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from prm.audit.actions import label, registered
from prm.audit.events import audit_record
from prm.audit.models import AuditEntry

from .factories import PartnerFactory

ROOT = Path(settings.BASE_DIR)


def test_every_app_that_writes_the_trail_names_its_actions_from_its_enumeration():
    literal = re.compile(r"audit_record\([^)]*action=[\"f]", re.S)
    offenders = [
        path.relative_to(ROOT).as_posix()
        for folder in ("partners", "incentives", "onboarding", "scorecards", "prm")
        for path in (ROOT / folder).rglob("*.py")
        if literal.search(path.read_text())
    ]
    assert offenders == []


def test_each_app_registers_its_actions():
    codes = registered()
    assert {
        "partner.stage_moved",
        "payout_run.approved",
        "agreement.signed",
        "kpi.saved",
        "membership.added",
        "webhook.created",
        "assessment.strategic",
    } <= set(codes)


@pytest.mark.django_db
def test_an_action_no_app_registered_is_refused_where_it_is_written(tenant):
    partner = PartnerFactory(tenant=tenant)
    with pytest.raises(ValueError, match="partner.stage_mooved"):
        audit_record(tenant=tenant, actor=None, action="partner.stage_mooved", target=partner)
    assert not AuditEntry.objects.for_tenant(tenant).exists()


def test_the_trail_reads_an_action_in_the_readers_language():
    with translation.override("fr"):
        assert label("payout_run.approved") != "Payout run approved"
    assert label("payout_run.approved") == "Payout run approved"
