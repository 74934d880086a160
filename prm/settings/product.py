"""The product's own settings: webhooks, links in e-mails, the partner directory, demo data, new tenants."""

from .base import env

# --- the product ---------------------------------------------------------
# Webhooks go to public addresses only; on-premises receivers (and the tests) need this on.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False)
# Where links in e-mails point (invitations, password resets, notifications).
PRM_BASE_URL = env("PRM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How the core finds a partner user's partner without importing partners/.
PRM_PARTNER_DIRECTORY = "partners.directory.PartnerDirectory"

# Each app's demo data, in dependency order; each takes the tenant (seed_demo). The story is built in
# time order: every input first (partners and their history, sales in every currency, training,
# leads, targets and surveys), then the computations that read them, each after what it reads:
# tiers and health, the scorecards (which compare partners of a tier), health again (a dropping
# score is a signal), and the payouts and MDF (which read tiers and scores).
PRM_DEMO_SEEDERS = [
    "partners.demo.seed",
    "partners.demo.benefits",
    "incentives.demo.inputs",
    "pricing.demo.seed",
    "onboarding.demo.seed",
    "leads.demo.seed",
    "scorecards.demo.seed",
    "partners.demo.recompute",
    "scorecards.demo.compute",
    "partners.demo.recompute",
    "incentives.demo.seed",
    "rewards.catalogue.demo.seed",
    "rewards.preferences.demo.seed",
    "rewards.recognition.demo.seed",
    "rewards.contests.demo.seed",
    "surveys.demo.seed",
    "conversations.demo.seed",
]

# What every new tenant gets (called by tenancy.services.tenant_create with the tenant).
PRM_TENANT_SETUP = [
    "scorecards.defaults.ensure_default_kpis",
    "onboarding.defaults.ensure_onboarding_defaults",
    "rewards.recognition.defaults.ensure_award_categories",
]
