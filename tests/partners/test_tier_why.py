"""The "why this tier" panel reads as arithmetic: a measured zero is a zero, and only what was not
measured (or not assessed) is said so, in words."""

import re

import pytest

from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def axes(**values):
    return {
        "axes": {
            "competitiveness": {"score": 20.0, "threshold": 50.0, "strong": False, **values},
        },
        "inputs": {},
    }


def parts(html: str) -> str:
    match = re.search(r'data-testid="axis-parts">(.*?)</small>', html, re.S)
    return " ".join(match[1].split())


def test_a_measured_zero_is_shown_as_zero(web, tenant, member):
    # given competitiveness measured 0 and assessed 50 (blended 20)
    partner = PartnerFactory(tenant=tenant, computed_tier="D", tier_axes=axes(measured=0.0, assessed=50.0))

    # when a manager reads the partner
    html = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/partners/{partner.pk}/").content.decode()

    # then the parts add up: 0.0 measured, 50.0 assessed
    assert parts(html) == "measured 0.0, assessed 50.0, threshold 50.0"


def test_what_was_not_measured_is_said_in_words(web, tenant, member):
    partner = PartnerFactory(
        tenant=tenant, computed_tier="D", tier_axes=axes(score=None, measured=None, assessed=None)
    )
    html = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/partners/{partner.pk}/").content.decode()
    assert parts(html) == "not measured, not assessed, threshold 50.0"
    assert "—" not in html.split('data-testid="tier-why"')[1].split("</section>")[0]


def test_the_partners_own_panel_shows_a_zero_score(web, tenant, partner_user):
    partner = PartnerFactory(
        tenant=tenant,
        stage="signed",
        computed_tier="D",
        tier_axes=axes(score=0.0, measured=0.0, assessed=None),
    )
    html = web(partner_user(tenant, partner=partner)).get("/t/alpha/").content.decode()
    panel = html.split('data-testid="own-partner"')[1].split("</dl>")[0]
    assert "0.0 / 100" in panel
