"""What each role may do: the one table every page, API view and template asks.

A view declares the capability it needs (``capability`` on pages,
``read_capability``/``write_capability``/``action_capabilities`` on API
views); templates ask ``{% if can.decide_mdf %}``. Nothing else compares role
names. To let a role do something, change its row here; ``docs/permissions.md``
lists the table and a test keeps the two in step.

Partner users reach rows only through a view's ``partner_scope``: a
capability they hold (``read`` for instance) never shows them another
partner's data.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .choices import ALL_ROLES, STAFF_ROLES, Role

ADMIN = frozenset({Role.ADMIN})
FINANCE = frozenset({Role.ADMIN, Role.FINANCE})
MANAGERS = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER})
FIELD_STAFF = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD})
PARTNER = frozenset({Role.PARTNER})


class Capability(StrEnum):
    # reading
    READ = "read"
    READ_VENDOR_SIDE = "read_vendor_side"
    READ_AUDIT = "read_audit"
    PARTNER_HOME = "partner_home"
    OWN_SETTINGS = "own_settings"
    # the pipeline
    WORK_PIPELINE = "work_pipeline"
    OWN_PARTNERS = "own_partners"
    MOVE_PARTNER = "move_partner"
    APPROVE_SIGNING = "approve_signing"
    APPROVAL_QUEUE = "approval_queue"
    IMPORT_PARTNERS = "import_partners"
    OVERRIDE_TIER = "override_tier"
    RECOMPUTE_TIERS = "recompute_tiers"
    EDIT_PROGRAMME = "edit_programme"
    EDIT_PLAYBOOK = "edit_playbook"
    RECORD_SALES = "record_sales"
    REGISTER_DEAL = "register_deal"
    DECIDE_DEAL = "decide_deal"
    CLOSE_DEAL = "close_deal"
    # leads
    DISTRIBUTE_LEADS = "distribute_leads"
    ANSWER_LEAD = "answer_lead"
    EDIT_LEAD_RULES = "edit_lead_rules"
    # onboarding
    MANAGE_ONBOARDING = "manage_onboarding"
    COMPLETE_TRAINING = "complete_training"
    INVITE_PARTNER_USERS = "invite_partner_users"
    # scorecards
    SET_TARGETS = "set_targets"
    ACKNOWLEDGE_TARGET = "acknowledge_target"
    COMPUTE_SCORECARDS = "compute_scorecards"
    REGISTER_PRODUCTS = "register_products"
    PLAN_BUSINESS = "plan_business"
    AGREE_PLAN = "agree_plan"
    COMPLETE_PLAN_ACTIVITY = "complete_plan_activity"
    # money
    EDIT_RULES = "edit_rules"
    PREVIEW_RULES = "preview_rules"
    READ_EFFECTIVENESS = "read_effectiveness"
    COMPUTE_PAYOUT_RUN = "compute_payout_run"
    APPROVE_PAYOUT_RUN = "approve_payout_run"
    EXPORT_PAYOUT_RUN = "export_payout_run"
    RECORD_PAYMENTS = "record_payments"
    MANAGE_RATES = "manage_rates"
    REQUEST_MDF = "request_mdf"
    DECIDE_MDF = "decide_mdf"
    # rewards
    MANAGE_CATALOGUE = "manage_catalogue"
    REDEEM_POINTS = "redeem_points"
    DECIDE_REDEMPTION = "decide_redemption"
    # rewards: contests
    RUN_CONTESTS = "run_contests"
    # rewards: recognition and preferences
    GRANT_AWARDS = "grant_awards"
    STATE_REWARD_PREFERENCES = "state_reward_preferences"
    # partners' requests to the vendor
    RAISE_REQUEST = "raise_request"
    REPLY_REQUEST = "reply_request"
    ANSWER_REQUESTS = "answer_requests"
    # surveys
    RUN_SURVEYS = "run_surveys"
    # price discipline
    MANAGE_PRICES = "manage_prices"
    # the tenant
    MANAGE_MEMBERS = "manage_members"
    MANAGE_WEBHOOKS = "manage_webhooks"
    MANAGE_PERSONAL_DATA = "manage_personal_data"
    REQUIRE_TWO_FACTOR = "require_two_factor"
    READ_SENT_MAIL = "read_sent_mail"
    MANAGE_SSO = "manage_sso"


#: capability -> (the roles that hold it, what it lets them do)
TABLE: dict[Capability, tuple[frozenset, str]] = {
    Capability.READ: (ALL_ROLES, _("Read the programme's records (a partner user: its own partner's).")),
    Capability.READ_VENDOR_SIDE: (
        STAFF_ROLES,
        _("See the vendor's working pages: pipeline, sales, history."),
    ),
    Capability.READ_AUDIT: (FINANCE, _("Read the audit trail.")),
    Capability.PARTNER_HOME: (PARTNER, _("Use the partner's own pages (training, users).")),
    Capability.OWN_SETTINGS: (ALL_ROLES, _("Choose one's own notifications.")),
    Capability.WORK_PIPELINE: (FIELD_STAFF, _("Add and edit partners, contacts, visits and assessments.")),
    Capability.OWN_PARTNERS: (FIELD_STAFF, _("Be named a partner's owner, who answers for it.")),
    Capability.MOVE_PARTNER: (
        FIELD_STAFF,
        _("Move a partner along the life cycle; ask for signing approval."),
    ),
    Capability.APPROVE_SIGNING: (
        frozenset({Role.ADMIN, Role.REGIONAL_LEAD}),
        _("Approve a candidate for signing."),
    ),
    Capability.APPROVAL_QUEUE: (
        FIELD_STAFF,
        _("See what waits for one's decision (signing, deal registrations, MDF), oldest first."),
    ),
    Capability.IMPORT_PARTNERS: (MANAGERS, _("Import prospects from a file.")),
    Capability.OVERRIDE_TIER: (MANAGERS, _("Override a partner's computed tier, with a reason.")),
    Capability.RECOMPUTE_TIERS: (MANAGERS, _("Recompute every partner's tier.")),
    Capability.EDIT_PROGRAMME: (
        ADMIN,
        _("Change the programme: settings, tier table, gates, KPI definitions."),
    ),
    Capability.EDIT_PLAYBOOK: (MANAGERS, _("Edit the objection playbook.")),
    Capability.RECORD_SALES: (MANAGERS, _("Enter and import sales.")),
    Capability.REGISTER_DEAL: (frozenset(MANAGERS | PARTNER), _("Register a deal; withdraw a pending one.")),
    Capability.DECIDE_DEAL: (FIELD_STAFF, _("Approve, reject or extend a deal registration.")),
    Capability.CLOSE_DEAL: (FIELD_STAFF, _("Mark an approved deal registration won or lost.")),
    Capability.DISTRIBUTE_LEADS: (FIELD_STAFF, _("Enter and import customer leads; offer them again.")),
    Capability.ANSWER_LEAD: (PARTNER, _("Accept, decline or convert a lead offered to one's partner.")),
    Capability.EDIT_LEAD_RULES: (MANAGERS, _("Write the rules that offer leads to partners.")),
    Capability.MANAGE_ONBOARDING: (MANAGERS, _("Manage agreements, checklists, courses and announcements.")),
    Capability.COMPLETE_TRAINING: (frozenset(MANAGERS | PARTNER), _("Record a completed course.")),
    Capability.INVITE_PARTNER_USERS: (frozenset(MANAGERS | PARTNER), _("Invite a partner's users.")),
    Capability.SET_TARGETS: (MANAGERS, _("Set KPI targets and enter survey results.")),
    Capability.ACKNOWLEDGE_TARGET: (PARTNER, _("Acknowledge the targets one's partner is measured on.")),
    Capability.COMPUTE_SCORECARDS: (MANAGERS, _("Compute scorecards and their PDFs.")),
    Capability.REGISTER_PRODUCTS: (frozenset(MANAGERS | PARTNER), _("Register products sold to customers.")),
    Capability.PLAN_BUSINESS: (MANAGERS, _("Draft a partner's business plan for a year and propose it.")),
    Capability.AGREE_PLAN: (PARTNER, _("Agree to one's business plan, or ask for changes.")),
    Capability.COMPLETE_PLAN_ACTIVITY: (
        frozenset(MANAGERS | PARTNER),
        _("Tick the activities of an agreed business plan."),
    ),
    Capability.EDIT_RULES: (MANAGERS, _("Write incentive rules.")),
    Capability.PREVIEW_RULES: (frozenset(MANAGERS | FINANCE), _("Try a rule against a past period.")),
    Capability.READ_EFFECTIVENESS: (
        frozenset(MANAGERS | FINANCE),
        _("See whether each incentive rule and MDF programme pays off (the effectiveness report)."),
    ),
    Capability.COMPUTE_PAYOUT_RUN: (frozenset(MANAGERS | FINANCE), _("Compute a period's draft payout run.")),
    Capability.APPROVE_PAYOUT_RUN: (FINANCE, _("Check warnings, adjust and approve a payout run.")),
    Capability.EXPORT_PAYOUT_RUN: (FINANCE, _("Export an approved run and mark it exported.")),
    Capability.RECORD_PAYMENTS: (FINANCE, _("Record and import payments.")),
    Capability.MANAGE_RATES: (FINANCE, _("Maintain exchange rates.")),
    Capability.REQUEST_MDF: (
        frozenset(MANAGERS | PARTNER),
        _("Request market development funds and claim them."),
    ),
    Capability.DECIDE_MDF: (MANAGERS, _("Approve or reject MDF requests and claims.")),
    Capability.MANAGE_CATALOGUE: (
        MANAGERS,
        _("Keep the rewards catalogue: rewards, points prices, stock, pictures."),
    ),
    Capability.REDEEM_POINTS: (
        frozenset(MANAGERS | PARTNER),
        _("Redeem a partner's points for a reward (staff: for a partner); cancel a redemption."),
    ),
    Capability.DECIDE_REDEMPTION: (
        MANAGERS,
        _("Approve or refuse redemptions (never one's own), record their fulfilment, export it."),
    ),
    Capability.RUN_CONTESTS: (MANAGERS, _("Create, change and close contests between partners.")),
    Capability.GRANT_AWARDS: (MANAGERS, _("Grant and revoke awards; keep the award categories.")),
    Capability.STATE_REWARD_PREFERENCES: (
        PARTNER,
        _("State one's partner's preferred kinds of reward (its partner admin only)."),
    ),
    Capability.RAISE_REQUEST: (PARTNER, _("Raise a request, idea or complaint to one's channel manager.")),
    Capability.REPLY_REQUEST: (
        frozenset(FIELD_STAFF | PARTNER),
        _("Write in a request's thread and close it (staff: the partner's owner, regional leads, admins)."),
    ),
    Capability.ANSWER_REQUESTS: (FIELD_STAFF, _("See partners' requests in the queue, overdue ones first.")),
    Capability.RUN_SURVEYS: (
        MANAGERS,
        _("Create and send partner survey rounds; read their results and the customer surveys."),
    ),
    Capability.MANAGE_PRICES: (
        MANAGERS,
        _("Import the price list and each tier's discount band and minimum price."),
    ),
    Capability.MANAGE_MEMBERS: (ADMIN, _("Invite members, change roles, export the tenant's data.")),
    Capability.MANAGE_WEBHOOKS: (ADMIN, _("Manage webhook endpoints.")),
    Capability.MANAGE_PERSONAL_DATA: (
        ADMIN,
        _("Find, export and erase a person's personal data; set how long data is kept."),
    ),
    Capability.REQUIRE_TWO_FACTOR: (
        ADMIN,
        _("Require two-factor sign-in of the staff; see who has set it up."),
    ),
    Capability.READ_SENT_MAIL: (ADMIN, _("Read the e-mails the programme sent (the Sent mail page).")),
    Capability.MANAGE_SSO: (
        ADMIN,
        _("Set up single sign-on: identity providers, their e-mail domains and group-to-role mapping."),
    ),
}


def roles_with(capability: Capability | str) -> frozenset:
    """The roles that hold ``capability`` (KeyError for a name not in the table)."""
    return TABLE[Capability(capability)][0]


def allows(role: str, capability: Capability | str | None) -> bool:
    """Whether ``role`` holds ``capability``; None (a view that changes nothing) allows nobody."""
    return capability is not None and role in roles_with(capability)


class Can:
    """``can.<capability>`` in templates: True when the request's role holds it."""

    def __init__(self, role: str):
        self.role = role

    def __getitem__(self, name: str) -> bool:
        try:
            return allows(self.role, name)
        except ValueError:
            raise KeyError(name) from None

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def markdown_table() -> str:
    """The table as docs/permissions.md shows it (``manage.py capabilities`` prints it)."""
    roles = [Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD, Role.FINANCE, Role.PARTNER]
    with override("en"):
        head = "| capability | what it lets one do | " + " | ".join(str(r.label) for r in roles) + " |"
        rule = "|---|---|" + "---|" * len(roles)
        rows = [
            f"| `{c.value}` | {description} | "
            + " | ".join("✓" if r in holders else "" for r in roles)
            + " |"
            for c, (holders, description) in TABLE.items()
        ]
    return "\n".join([head, rule, *rows])
