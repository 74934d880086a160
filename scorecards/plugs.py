"""What scorecards lets the apps above it plug in, the sources of KPI actuals (``kpi_sources``:
``Actuals(source, measure)``, see ``scorecards.sources``), and what it plugs in itself (see
``prm.plugs``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.health.signals import Signal
from partners.live import LiveFigure
from prm.notifications.registry import Category
from prm.plugs import Kind
from prm.portal.registry import DashboardPanel, NavItem
from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role

from . import panels as scorecard_panels
from . import sources
from .audit_actions import ScorecardAudit
from .choices import KpiSource
from .programme_cards import ProgrammeCard, register_programme_card
from .programme_section import section as programme_section
from .selectors import falling_scores
from .services.compute import scorecard_refresh
from .sources import Actuals, register_source

#: ``programme_cards``: ``ProgrammeCard(template, context)``, a card of the partner's programme page
kinds = [
    Kind("kpi_sources", Actuals, register_source),
    Kind("programme_cards", ProgrammeCard, register_programme_card),
]

audit_actions = [ScorecardAudit]

live_figures = [LiveFigure("scorecard", scorecard_refresh)]

programme_sections = [programme_section]

kpi_sources = [
    Actuals(KpiSource.SALES, sources.sales_revenue),
    Actuals(KpiSource.GROWTH, sources.revenue_growth),
    Actuals(KpiSource.DEAL_REGISTRATIONS, sources.deal_registrations),
    Actuals(KpiSource.WIN_RATE, sources.win_rate),
    Actuals(KpiSource.VISITS, sources.visits),
    Actuals(KpiSource.ANSWERED_IN_TIME, sources.answered_in_time),
    Actuals(KpiSource.PRODUCT_REGISTRATIONS, sources.product_registrations),
    Actuals(KpiSource.SATISFACTION, sources.satisfaction),
    Actuals(KpiSource.MANUAL, sources.manual),
]

nav = [
    NavItem(
        "scorecards",
        _("Scorecards"),
        "scorecards:list",
        ALL_ROLES,
        order=70,
        also=["scorecards:detail"],
        section="performance",
    ),
    NavItem(
        "my-programme",
        _("My programme"),
        "scorecards:my-programme",
        {Role.PARTNER},
        order=5,
        section="performance",
    ),
    NavItem(
        "installed-base",
        _("Installed base"),
        "scorecards:installed-base",
        ALL_ROLES,
        order=86,
        section="performance",
    ),
    NavItem("targets", _("Targets"), "scorecards:targets", ALL_ROLES, order=80, section="performance"),
    NavItem(
        "plans",
        _("Business plans"),
        "scorecards:plans",
        ALL_ROLES,
        order=82,
        section="performance",
        also=["scorecards:plan"],
    ),
    NavItem(
        "engagement",
        _("Customer engagement"),
        "scorecards:engagement",
        ALL_ROLES,
        order=85,
        section="performance",
    ),
    NavItem(
        "kpis",
        _("KPIs"),
        "scorecards:kpis",
        STAFF_ROLES,
        order=880,
        also=["scorecards:kpi-create", "scorecards:kpi-edit"],
        section="performance",
    ),
]

panels = [
    DashboardPanel(
        "own-scorecard", "scorecards/panel_own.html", scorecard_panels.own_scorecard, {Role.PARTNER}, order=6
    ),
    DashboardPanel(
        "leaders", "scorecards/panel_leaders.html", scorecard_panels.leaders, STAFF_ROLES, order=25
    ),
]

notification_categories = [
    Category("business_plans", _("Business plans to agree (partner users)")),
    Category("installed_base", _("Customers' products due for service or warranty renewal (partner users)")),
]

health_signals = [
    Signal(
        "score_falling",
        falling_scores,
        lambda p: (
            gettext("Score falling two periods running: %(scores)s.") % {"scores": " → ".join(p["scores"])}
        ),
        weight=2,
    )
]
