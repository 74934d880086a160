"""What partners lets the apps above it plug in, and what it plugs in itself (see ``prm.plugs``).

The kinds partners offers:

- ``stage_gates``: ``StageGate(stage, gate)``, what a partner needs before it may enter a stage
  (``partners.lifecycle.gates``);
- ``on_enter``: ``OnEnter(stage, hook)``, what runs once a partner has entered a stage;
- ``health_signals``: ``Signal(code, measure, words, weight)`` (``partners.health.signals``);
- ``willingness_inputs``: ``WillingnessInput(name, measure)``, an input of the willingness axis
  (``partners.tiering.recompute``; ``name`` is a key of the programme's ``willingness_weights``);
- ``gap_hints``: ``GapHint(axis, hint)``, what a partner can do to raise an axis (``partners.tiering.rights``);
- ``benefit_readers``: ``reader(tenant) -> [RuleUse]``, what an app's rules do with the tiers'
  benefits (``partners.tiering.benefit_keeping``);
- ``partner_sections``: ``PartnerSection(template, context)``, a section of the partner page
  (``partners.panels``);
- ``programme_sections``: ``ProgrammeSection(...)``, an app's settings on the programme page and in
  ``programme/`` (``prm.programme``);
- ``approval_queues``: ``ApprovalQueue(...)``, a kind of decision that waits in the approval queue
  (``partners.approvals``);
- ``live_figures``: ``LiveFigure(name, refresh)``, figures of one partner a live refresh brings up to
  date within seconds of a change (``partners.live``);
- ``live_sources``: ``LiveSource(model)``, a model whose rows change a partner's figures: saving or
  deleting one asks for that partner's refresh (``partners.live``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners import approvals
from partners import panels as partner_panels
from partners.audit_actions import PartnerAudit
from partners.choices import Stage
from partners.health.compute import large_returns, overdue_partners, quiet_partners
from partners.health.signals import Signal, register_health_signal
from partners.lifecycle.gates import (
    OnEnter,
    StageGate,
    certified_by_training,
    needs_contact,
    needs_lead_approval,
    needs_selection_assessment,
    needs_strategic_assessment,
    needs_visit,
    register_gate,
    register_on_enter,
)
from partners.live import LiveFigure, LiveSource, register_live_figure, register_live_source
from partners.models import DealRegistration, Sale, Visit
from partners.panels import PartnerSection, register_partner_section
from partners.programme.section import section as programme_section
from partners.tiering.benefit_keeping import register_benefit_reader
from partners.tiering.recompute import register_willingness_input, tier_inputs_refresh
from partners.tiering.rights import GapHint, register_gap_hint
from partners.visiting.key_partners import needs_leadership_meeting
from partners.visiting.plans import visit_plans_section
from partners.visiting.settings import section as visits_section
from prm.notifications.registry import Category
from prm.plugs import Kind
from prm.portal.registry import DashboardPanel, NavItem
from prm.programme import ProgrammeSection, register_programme_section
from prm.tenancy.capabilities import Capability, roles_with
from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role


@dataclass(frozen=True)
class WillingnessInput:
    """``measure(tenant, since) -> {partner_id: 0–100}``, one aggregate query: an input of the
    willingness axis, weighed by the programme's ``willingness_weights[name]``."""

    name: str
    measure: Callable


def _register_willingness_input(declared: WillingnessInput) -> None:
    register_willingness_input(declared.name, declared.measure)


kinds = [
    Kind("stage_gates", StageGate, register_gate),
    Kind("on_enter", OnEnter, register_on_enter),
    Kind("health_signals", Signal, register_health_signal),
    Kind("willingness_inputs", WillingnessInput, _register_willingness_input),
    Kind("gap_hints", GapHint, register_gap_hint),
    Kind("benefit_readers", Callable, register_benefit_reader),
    Kind("partner_sections", PartnerSection, register_partner_section),
    Kind("programme_sections", ProgrammeSection, register_programme_section),
    Kind("approval_queues", approvals.ApprovalQueue, approvals.register_approval_queue),
    Kind("live_figures", LiveFigure, register_live_figure),
    Kind("live_sources", LiveSource, register_live_source),
]

live_figures = [LiveFigure("tier_inputs", tier_inputs_refresh)]

live_sources = [LiveSource(Sale), LiveSource(DealRegistration), LiveSource(Visit)]

approval_queues = [approvals.SIGNING, approvals.DEALS]

partner_sections = [PartnerSection("partners/visit_plans_section.html", visit_plans_section)]

audit_actions = [PartnerAudit]

programme_sections = [programme_section, visits_section]

stage_gates = [
    StageGate(Stage.FIRST_TALKS, needs_contact),
    StageGate(Stage.SELECTION, needs_visit),
    StageGate(Stage.STRATEGIC, needs_selection_assessment),
    StageGate(Stage.STRATEGIC, needs_lead_approval),
    StageGate(Stage.SIGNED, needs_strategic_assessment),
    StageGate(Stage.SIGNED, needs_leadership_meeting),
    StageGate(Stage.CERTIFIED, certified_by_training),
]

health_signals = [
    Signal(
        "quiet",
        quiet_partners,
        lambda p: gettext("No sale and no deal registration in %(days)d days.") % {"days": p["days"]},
    ),
    Signal(
        "stage_overdue",
        overdue_partners,
        lambda p: gettext("Overdue in its stage by %(days)d days.") % {"days": p["days"]},
    ),
    Signal(
        "large_return",
        large_returns,
        lambda p: gettext("A return of %(amount)s %(currency)s on %(date)s.") % p,
    ),
]

notification_categories = [
    Category("stage_moves", _("Stage moves of my partner")),
    Category("tier_changes", _("My partner's tier and what it gives (partner users)")),
    Category("time_boxes", _("Time boxes due or missed (owners)")),
    Category("approval_requests", _("Requests to approve a partner for signing (regional leads)")),
    Category("health", _("Weekly digest of my partners that need attention (owners)")),
]

#: the sales side's daily tools; finance reaches them by link, not from its menu
SALES_SIDE = {Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD}

nav = [
    NavItem("pipeline", _("Pipeline"), "partners:board", SALES_SIDE, order=10, section="partners"),
    NavItem(
        "partners",
        _("Partners"),
        "partners:list",
        STAFF_ROLES,
        order=20,
        also=[
            "partners:detail",
            "partners:create",
            "partners:edit",
            "partners:visit-create",
            "partners:visit-plan-create",
            "partners:visit-plan",
            "partners:assessment-selection",
            "partners:assessment-strategic",
            "partners:assessment-tier",
        ],
        section="partners",
    ),
    NavItem("deals", _("Deal registrations"), "partners:deals", ALL_ROLES, order=30, section="partners"),
    NavItem("sales", _("Sales"), "partners:sales", STAFF_ROLES, order=40, section="partners"),
    NavItem(
        "programme",
        _("Programme settings"),
        "partners:programme",
        {Role.ADMIN},
        order=890,
        section="programme",
    ),
    NavItem(
        "reference", _("Reference lists"), "partners:reference", STAFF_ROLES, order=895, section="programme"
    ),
    NavItem("tiers", _("Tiers"), "partners:tiers", STAFF_ROLES, order=50, section="partners"),
    NavItem("activity", _("Team activity"), "partners:activity", SALES_SIDE, order=65, section="partners"),
    NavItem(
        "benefits", _("What each tier gives"), "partners:benefits", ALL_ROLES, order=893, section="programme"
    ),
    NavItem("objections", _("Objections"), "partners:objections", SALES_SIDE, order=60, section="partners"),
    NavItem("visit-day", _("Visit plans"), "partners:visit-day", SALES_SIDE, order=62, section="partners"),
    NavItem(
        "visit-steps", _("How visits go"), "partners:visit-steps", SALES_SIDE, order=63, section="partners"
    ),
    NavItem(
        "approvals",
        _("Approvals"),
        "partners:approvals",
        roles_with(Capability.APPROVAL_QUEUE),
        order=5,
        section="partners",
    ),
]

panels = [
    DashboardPanel(
        "team", "partners/panel_team.html", partner_panels.team, {Role.REGIONAL_LEAD}, order=26, wide=True
    ),
    DashboardPanel(
        "own", "partners/panel_own.html", partner_panels.own_partner, {Role.PARTNER}, order=5, wide=True
    ),
    DashboardPanel("funnel", "partners/panel_funnel.html", partner_panels.pipeline, STAFF_ROLES, order=10),
    DashboardPanel("tiers", "partners/panel_tiers.html", partner_panels.tiers, STAFF_ROLES, order=20),
    DashboardPanel("overdue", "partners/panel_overdue.html", partner_panels.overdue, STAFF_ROLES, order=30),
    DashboardPanel(
        "attention", "partners/panel_attention.html", partner_panels.attention, SALES_SIDE, order=25
    ),
    DashboardPanel(
        "approvals",
        "partners/panel_approvals.html",
        approvals.panel,
        roles_with(Capability.APPROVAL_QUEUE),
        order=3,
    ),
]
