"""The product's own settings: webhooks, links in e-mails, the partner directory, demo data, new tenants."""

from .base import env

# --- the product ---------------------------------------------------------
# Webhooks go to public addresses only; on-premises receivers (and the tests) need this on.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False)
# Where links in e-mails point (invitations, password resets, notifications).
PRM_BASE_URL = env("PRM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How the core finds a partner user's partner without importing partners/.
PRM_PARTNER_DIRECTORY = "partners.directory.PartnerDirectory"

# Each app's demo data, in dependency order; each takes the tenant (seed_demo).
PRM_DEMO_SEEDERS = [
    "partners.demo.seed",
    "partners.demo.benefits",
    "onboarding.demo.seed",
    "leads.demo.seed",
    "scorecards.demo.seed",
    "incentives.demo.seed",
    "partners.demo.recompute",
]

# What every new tenant gets (called by tenancy.services.tenant_create with the tenant).
PRM_TENANT_SETUP = [
    "scorecards.defaults.ensure_default_kpis",
    "onboarding.defaults.ensure_onboarding_defaults",
]
