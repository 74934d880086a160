"""What the apps declare in their plugs modules fills the registries (``prm.plugs``).

The registries hold exactly what the apps' ``ready()`` methods registered before the declarations
replaced them: the same menu entries and panels for each role in the same order, the same
notification categories in the same order, gates, signals, sources. A new app needs nothing but
its plugs module, and a declaration the core cannot read stops start-up naming it.
"""

import copy
import re
import sys
from pathlib import Path

import pytest
from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured

from conversations.audit_actions import ConversationAudit
from incentives import followups, run_warnings
from incentives.audit_actions import IncentiveAudit
from leads.audit_actions import LeadAudit
from onboarding.audit_actions import OnboardingAudit
from partners import panels
from partners.audit_actions import PartnerAudit
from partners.health import signals as health
from partners.lifecycle import gates as lifecycle
from partners.tiering import benefit_keeping, rights
from partners.tiering import recompute as tiers
from pricing.audit_actions import PricingAudit
from prm import plugs
from prm.apitokens.audit_actions import ApiTokenAudit
from prm.audit.actions import registered
from prm.notifications import registry as notifications
from prm.notifications.registry import categories
from prm.portal import registry as portal
from prm.portal.registry import nav_for, panels_for
from prm.privacy.audit_actions import PrivacyAudit
from prm.sso.audit_actions import SsoAudit
from prm.tenancy.audit_actions import TenancyAudit
from prm.tenancy.choices import Role
from prm.twofactor.audit_actions import TwoFactorAudit
from prm.webhooks.audit_actions import WebhookAudit
from rewards.catalogue.audit_actions import CatalogueAudit
from rewards.contests.audit_actions import ContestAudit
from rewards.preferences.audit_actions import PreferenceAudit
from rewards.recognition.audit_actions import AwardAudit
from scorecards import sources
from scorecards.audit_actions import ScorecardAudit
from surveys.audit_actions import SurveyAudit

ROOT = Path(__file__).resolve().parents[1]

#: The menu of each role, in the order the portal renders it.
NAV = {
    Role.ADMIN: [
        "dashboard",
        "approvals",
        "pipeline",
        "partners",
        "deals",
        "leads",
        "sales",
        "requests-queue",
        "prices",
        "tiers",
        "objections",
        "visit-day",
        "visit-steps",
        "activity",
        "onboarding",
        "applications",
        "scorecards",
        "targets",
        "plans",
        "engagement",
        "installed-base",
        "customer-surveys",
        "partner-surveys",
        "kpis",
        "rules",
        "what-if",
        "runs",
        "mine",
        "mdf",
        "rates",
        "rewards",
        "catalogue",
        "redemptions",
        "contests",
        "awards",
        "announcements",
        "programme",
        "benefits",
        "reference",
        "members",
        "two_factor",
        "jobs",
        "audit",
        "sso",
        "webhooks",
        "personal-data",
        "notifications",
        "sent_mail",
    ],
    Role.CHANNEL_MANAGER: [
        "dashboard",
        "approvals",
        "pipeline",
        "partners",
        "deals",
        "leads",
        "sales",
        "requests-queue",
        "prices",
        "tiers",
        "objections",
        "visit-day",
        "visit-steps",
        "activity",
        "onboarding",
        "applications",
        "scorecards",
        "targets",
        "plans",
        "engagement",
        "installed-base",
        "customer-surveys",
        "partner-surveys",
        "kpis",
        "rules",
        "what-if",
        "runs",
        "mine",
        "mdf",
        "rewards",
        "catalogue",
        "redemptions",
        "contests",
        "awards",
        "announcements",
        "benefits",
        "reference",
        "jobs",
        "notifications",
    ],
    Role.REGIONAL_LEAD: [
        "dashboard",
        "approvals",
        "pipeline",
        "partners",
        "deals",
        "leads",
        "sales",
        "requests-queue",
        "prices",
        "tiers",
        "objections",
        "visit-day",
        "visit-steps",
        "activity",
        "onboarding",
        "applications",
        "scorecards",
        "targets",
        "plans",
        "engagement",
        "installed-base",
        "customer-surveys",
        "kpis",
        "rules",
        "runs",
        "mine",
        "mdf",
        "rewards",
        "catalogue",
        "redemptions",
        "contests",
        "awards",
        "announcements",
        "benefits",
        "reference",
        "jobs",
        "notifications",
    ],
    Role.FINANCE: [
        "dashboard",
        "partners",
        "deals",
        "leads",
        "sales",
        "prices",
        "tiers",
        "onboarding",
        "applications",
        "scorecards",
        "targets",
        "plans",
        "engagement",
        "installed-base",
        "customer-surveys",
        "kpis",
        "rules",
        "what-if",
        "runs",
        "mine",
        "mdf",
        "rates",
        "rewards",
        "catalogue",
        "redemptions",
        "contests",
        "awards",
        "announcements",
        "benefits",
        "reference",
        "jobs",
        "audit",
        "notifications",
    ],
    Role.PARTNER: [
        "dashboard",
        "training",
        "deals",
        "leads",
        "requests",
        "prices",
        "my-programme",
        "scorecards",
        "targets",
        "plans",
        "engagement",
        "installed-base",
        "customer-surveys",
        "my-surveys",
        "mine",
        "mdf",
        "rewards",
        "redemptions",
        "contests",
        "awards",
        "reward-preferences",
        "announcements",
        "benefits",
        "notifications",
    ],
}

#: Each role's dashboard panels and what fills them, in the order the dashboard shows them.
PANELS = {
    Role.ADMIN: [
        ("announcements", "onboarding.panels.news"),
        ("approvals", "partners.approvals.panel"),
        ("funnel", "partners.panels.pipeline"),
        ("requests", "conversations.panels.requests_card"),
        ("runs", "incentives.panels.runs"),
        ("tiers", "partners.panels.tiers"),
        ("attention", "partners.panels.attention"),
        ("leaders", "scorecards.panels.leaders"),
        ("overdue", "partners.panels.overdue"),
        ("members", "prm.portal.panels.team"),
        ("activity", "prm.portal.panels.activity"),
        ("jobs", "prm.portal.panels.recent_jobs"),
    ],
    Role.CHANNEL_MANAGER: [
        ("announcements", "onboarding.panels.news"),
        ("approvals", "partners.approvals.panel"),
        ("funnel", "partners.panels.pipeline"),
        ("requests", "conversations.panels.requests_card"),
        ("tiers", "partners.panels.tiers"),
        ("attention", "partners.panels.attention"),
        ("leaders", "scorecards.panels.leaders"),
        ("overdue", "partners.panels.overdue"),
        ("members", "prm.portal.panels.team"),
    ],
    Role.REGIONAL_LEAD: [
        ("announcements", "onboarding.panels.news"),
        ("approvals", "partners.approvals.panel"),
        ("funnel", "partners.panels.pipeline"),
        ("requests", "conversations.panels.requests_card"),
        ("tiers", "partners.panels.tiers"),
        ("attention", "partners.panels.attention"),
        ("leaders", "scorecards.panels.leaders"),
        ("team", "partners.panels.team"),
        ("overdue", "partners.panels.overdue"),
        ("members", "prm.portal.panels.team"),
    ],
    Role.FINANCE: [
        ("announcements", "onboarding.panels.news"),
        ("funnel", "partners.panels.pipeline"),
        ("runs", "incentives.panels.runs"),
        ("tiers", "partners.panels.tiers"),
        ("leaders", "scorecards.panels.leaders"),
        ("overdue", "partners.panels.overdue"),
        ("members", "prm.portal.panels.team"),
        ("activity", "prm.portal.panels.activity"),
    ],
    Role.PARTNER: [
        ("announcements", "onboarding.panels.news"),
        ("onboarding-own", "onboarding.panels.own"),
        ("own", "partners.panels.own_partner"),
        ("own-scorecard", "scorecards.panels.own_scorecard"),
        ("own-payouts", "incentives.panels.own_payouts"),
        ("own-rewards", "rewards.catalogue.panels.own_rewards"),
        ("requests", "conversations.panels.requests_card"),
    ],
}

#: The notification preferences page lists them in this order.
CATEGORIES = [
    "invitations",
    "webhooks",
    "stage_moves",
    "tier_changes",
    "time_boxes",
    "approval_requests",
    "health",
    "leads",
    "business_plans",
    "installed_base",
    "payouts",
    "applications",
    "certification",
    "awards",
    "points_expiry",
    "redemptions",
    "contests",
    "partner_surveys",
    "requests",
]

GATES = {
    "first_talks": ["partners.lifecycle.gates.needs_contact"],
    "selection": ["partners.lifecycle.gates.needs_visit"],
    "strategic": [
        "partners.lifecycle.gates.needs_selection_assessment",
        "partners.lifecycle.gates.needs_lead_approval",
    ],
    "signed": [
        "partners.lifecycle.gates.needs_strategic_assessment",
        "partners.visiting.key_partners.needs_leadership_meeting",
        "onboarding.services.signing.needs_agreement",
    ],
    "certified": ["partners.lifecycle.gates.certified_by_training"],
}

ON_ENTER = {
    "signed": [
        "onboarding.services.signing.checklist_start",
        "onboarding.services.training.certify_on_signing",
    ]
}

#: (code, weight), in the order a partner's reasons are listed
SIGNALS = [
    ("quiet", 1),
    ("stage_overdue", 1),
    ("large_return", 1),
    ("leads_ignored", 1),
    ("score_falling", 2),
    ("training_expiring", 1),
    ("price_breach", 1),
]

SOURCES = {
    "requests_answered": "conversations.kpis.requests_answered_in_time",
    "answered_in_time": "scorecards.sources.answered_in_time",
    "deal_registrations": "scorecards.sources.deal_registrations",
    "growth": "scorecards.sources.revenue_growth",
    "leads_accepted": "leads.selectors.leads_accepted_kpi",
    "manual": "scorecards.sources.manual",
    "mdf_approved": "incentives.kpis.mdf_approved",
    "product_registrations": "scorecards.sources.product_registrations",
    "sales": "scorecards.sources.sales_revenue",
    "satisfaction": "scorecards.sources.satisfaction",
    "training": "onboarding.services.training.training_completion",
    "visits": "scorecards.sources.visits",
    "win_rate": "scorecards.sources.win_rate",
}


def _name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


@pytest.mark.parametrize("role", list(NAV))
def test_each_role_has_the_menu_and_the_panels_it_had(role):
    """A menu entry or panel added, moved or removed on purpose is written in ``NAV`` or ``PANELS``."""
    assert [item.key for item in nav_for(role)] == NAV[role], "the menu changed: if on purpose, update NAV"
    assert [(panel.key, _name(panel.context)) for panel in panels_for(role)] == PANELS[role], (
        "the dashboard changed: if on purpose, update PANELS"
    )


def test_the_other_registries_hold_what_they_held():
    assert list(categories()) == CATEGORIES
    assert {stage: [_name(g) for g in gates] for stage, gates in lifecycle._gates.items() if gates} == GATES
    assert {
        stage: [_name(h) for h in hooks] for stage, hooks in lifecycle._on_enter.items() if hooks
    } == ON_ENTER
    assert [(signal.code, signal.weight) for signal in health.signals()] == SIGNALS
    assert {code: _name(source) for code, source in sources._sources.items()} == SOURCES
    assert [(name, _name(m)) for name, m in tiers._willingness_inputs.items()] == [
        ("leads", "leads.selectors.leads_willingness"),
        ("training", "onboarding.services.training.training_willingness"),
    ]
    assert {axis: [_name(h) for h in hints] for axis, hints in rights._hints.items()} == {
        "competitiveness": [],
        "willingness": ["onboarding.services.training.training_gap_hint"],
        "autonomy": [],
    }
    assert {name: _name(f.count) for name, f in followups._followups.items()} == {
        "leads": "leads.selectors.leads_after_claims"
    }
    assert [_name(r) for r in benefit_keeping._readers] == [
        "leads.benefit_uses.current_uses",
        "incentives.benefit_uses.current_uses",
    ]
    assert [(t, _name(c)) for t, c in panels._partner_sections] == [
        ("partners/visit_plans_section.html", "partners.visiting.plans.visit_plans_section"),
        ("leads/partner_section.html", "leads.selectors.leads_section"),
        ("preferences/partner_section.html", "rewards.preferences.sections.preferences_section"),
        ("recognition/partner_section.html", "rewards.recognition.sections.partner_awards_section"),
        ("pricing/partner_section.html", "pricing.panels.breaches_section"),
    ]
    assert [(c.code, c.rank, _name(c.write), _name(c.excluded)) for c in run_warnings.run_checks()] == [
        ("below_minimum_price", 5, "pricing.checks.write", "pricing.checks.excluded")
    ]
    enumerations = [
        TenancyAudit,
        WebhookAudit,
        ApiTokenAudit,
        PartnerAudit,
        LeadAudit,
        ScorecardAudit,
        IncentiveAudit,
        OnboardingAudit,
        CatalogueAudit,
        PreferenceAudit,
        AwardAudit,
        ContestAudit,
        ConversationAudit,
        SurveyAudit,
        PricingAudit,
        TwoFactorAudit,
        SsoAudit,
        PrivacyAudit,
    ]
    assert set(registered()) == {member.value for actions in enumerations for member in actions}


def test_reading_the_declarations_again_changes_nothing():
    before = (
        {role: nav_for(role) for role in NAV},
        {role: panels_for(role) for role in NAV},
        categories(),
        {stage: list(gates) for stage, gates in lifecycle._gates.items()},
        health.signals(),
        list(panels._partner_sections),
        list(benefit_keeping._readers),
        {axis: list(h) for axis, h in rights._hints.items()},
    )
    plugs.plug_in(apps.get_app_configs())
    after = (
        {role: nav_for(role) for role in NAV},
        {role: panels_for(role) for role in NAV},
        categories(),
        {stage: list(gates) for stage, gates in lifecycle._gates.items()},
        health.signals(),
        list(panels._partner_sections),
        list(benefit_keeping._readers),
        {axis: list(h) for axis, h in rights._hints.items()},
    )
    assert after == before


def test_no_app_registers_anything_in_its_ready():
    """Only the portal's ``ready()`` reads the declarations; no app calls a registry itself."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("*/apps.py"), *ROOT.glob("prm/*/apps.py")]
        if "register_" in path.read_text()
    ]
    assert offenders == []


# --- a new app: its plugs module is all it takes ---------------------------------------------


@pytest.fixture
def fresh_registries(monkeypatch):
    """The registries as copies, so a sample app's declarations leave the real ones untouched."""
    monkeypatch.setattr(portal, "_nav", dict(portal._nav))
    monkeypatch.setattr(portal, "_panels", dict(portal._panels))
    monkeypatch.setattr(notifications, "_categories", dict(notifications._categories))
    monkeypatch.setattr(health, "_signals", dict(health._signals))
    monkeypatch.setattr(lifecycle, "_gates", copy.deepcopy(lifecycle._gates))
    monkeypatch.setattr(sources, "_sources", dict(sources._sources))


@pytest.fixture
def sample_app(tmp_path, monkeypatch):
    """sample_app(plugs_source) -> the AppConfig of a new package ``sampleapp`` (no ``apps.py``, no
    ``ready()``) whose ``plugs.py`` is ``plugs_source``."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def make(source: str) -> AppConfig:
        package = tmp_path / "sampleapp"
        package.mkdir(exist_ok=True)
        (package / "__init__.py").write_text("")
        (package / "plugs.py").write_text(source)
        for name in ("sampleapp", "sampleapp.plugs"):
            monkeypatch.delitem(sys.modules, name, raising=False)
        return AppConfig.create("sampleapp")

    return make


SAMPLE = """
from partners.choices import Stage
from partners.health.signals import Signal
from partners.lifecycle.gates import StageGate
from prm.notifications.registry import Category
from prm.portal.registry import NavItem
from prm.tenancy.choices import Role


def no_signed_without_a_fax(partner, *, automatic=False, **context):
    return "a fax"


nav = [NavItem("faxes", "Faxes", "portal:dashboard", {Role.FINANCE}, order=50, section="payouts")]
notification_categories = [Category("faxes", "Faxes received")]
health_signals = [Signal("no_fax", lambda tenant, now, programme: {}, lambda p: "No fax.")]
stage_gates = [StageGate(Stage.SIGNED, no_signed_without_a_fax)]
"""


@pytest.mark.usefixtures("fresh_registries")
def test_a_new_apps_plugs_module_is_all_it_takes(sample_app):
    count = plugs.plug_in([sample_app(SAMPLE)], kinds=plugs.kinds_offered(apps.get_app_configs()))

    assert count == 4
    first_payouts = NAV[Role.FINANCE].index("rules")  # the entry's order puts it first in its section
    expected = [*NAV[Role.FINANCE][:first_payouts], "faxes", *NAV[Role.FINANCE][first_payouts:]]
    assert [item.key for item in nav_for(Role.FINANCE)] == expected
    assert "faxes" not in [item.key for item in nav_for(Role.ADMIN)]
    assert list(categories())[-1] == "faxes"
    assert health.signals()[-1].code == "no_fax"
    assert [g.__name__ for g in lifecycle.gates_for("signed")][-1] == "no_signed_without_a_fax"


@pytest.mark.usefixtures("fresh_registries")
@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("navs = []\n", "declares 'navs', which no installed app offers"),
        ("nav = ['faxes']\n", "sampleapp.plugs.nav holds 'faxes', not a NavItem"),
        (
            "from prm.notifications.registry import Category\naudit_actions = [Category('a', 'b')]\n",
            "sampleapp.plugs.audit_actions holds Category(code='a', label='b'), not a AuditActions",
        ),
    ],
    ids=["unknown kind", "wrong type", "an instance where a class is declared"],
)
def test_a_declaration_the_core_cannot_read_stops_start_up_naming_it(sample_app, source, words):
    with pytest.raises(ImproperlyConfigured, match=re.escape(words)):
        plugs.plug_in([sample_app(source)], kinds=plugs.kinds_offered(apps.get_app_configs()))
