"""What onboarding plugs into the core, partners and scorecards (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from partners.choices import Stage
from partners.health.signals import Signal
from partners.lifecycle.gates import OnEnter, StageGate
from partners.live import LiveSource
from partners.plugs import WillingnessInput
from partners.tiering.rights import GapHint
from prm.notifications.registry import Category
from prm.portal.registry import DashboardPanel, NavItem
from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role
from scorecards.choices import KpiSource
from scorecards.sources import Actuals

from . import panels as onboarding_panels
from .audit_actions import OnboardingAudit
from .models import Completion
from .programme_section import section as programme_section
from .services.signing import checklist_start, needs_agreement
from .services.training import (
    certify_on_signing,
    expiring_training,
    training_completion,
    training_gap_hint,
    training_willingness,
)

audit_actions = [OnboardingAudit]

programme_sections = [programme_section]

stage_gates = [StageGate(Stage.SIGNED, needs_agreement)]

#: on signing, the checklist starts, then a partner whose required training is done is certified
on_enter = [OnEnter(Stage.SIGNED, checklist_start), OnEnter(Stage.SIGNED, certify_on_signing)]

kpi_sources = [Actuals(KpiSource.TRAINING, training_completion)]

willingness_inputs = [WillingnessInput("training", training_willingness)]

#: a course completed moves the partner's scorecard (its training KPI)
live_sources = [LiveSource(Completion)]

gap_hints = [GapHint("willingness", training_gap_hint)]

health_signals = [
    Signal(
        "training_expiring",
        expiring_training,
        lambda p: _("Required training “%(course)s” expires on %(date)s.") % p,
    )
]

notification_categories = [
    Category("applications", _("New partner applications")),
    Category("certification", _("Training about to expire (partner users)")),
]

nav = [
    NavItem(
        "onboarding",
        _("Onboarding"),
        "onboarding:list",
        STAFF_ROLES,
        order=65,
        also=["onboarding:partner"],
        section="partners",
    ),
    NavItem(
        "applications",
        _("Applications"),
        "onboarding:applications",
        STAFF_ROLES,
        order=66,
        section="partners",
    ),
    NavItem("training", _("Training"), "onboarding:training", {Role.PARTNER}, order=8, section="partners"),
    NavItem(
        "announcements",
        _("Announcements"),
        "onboarding:announcements",
        ALL_ROLES,
        order=130,
        section="programme",
    ),
]

panels = [
    DashboardPanel(
        "onboarding-own",
        "onboarding/panel_own.html",
        onboarding_panels.own,
        {Role.PARTNER},
        order=4,
        wide=True,
    ),
    DashboardPanel(
        "announcements", "onboarding/panel_news.html", onboarding_panels.news, ALL_ROLES, order=2, wide=False
    ),
]
