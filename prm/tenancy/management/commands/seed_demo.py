"""Fill the database with the demo tenants, people and programme data (idempotent).

The e-mails the story sends (invitations, notifications) go to each tenant's mail store, whatever
the delivery backend: nothing is printed, nothing leaves, and the admins read them on *Sent mail*.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from prm.tenancy.context import tenant_context
from prm.tenancy.demo import DEMO_PASSWORD, seed_tenants


class Command(BaseCommand):
    help = "Create the two demo tenants with users for every role, and their data."

    @override_settings(PRM_EMAIL_DELIVERY_BACKEND="prm.notifications.store.StoredEmailBackend")
    @transaction.atomic
    def handle(self, *args, **options):
        seeders = [import_string(path) for path in settings.PRM_DEMO_SEEDERS]
        for tenant in seed_tenants():
            with tenant_context(tenant):
                for seed in seeders:
                    seed(tenant)
            self.stdout.write(f"Seeded {tenant.slug} ({tenant.name}).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Log in as acme-admin, acme-manager, acme-lead, acme-finance, "
                f"acme-partner, globex-…, or consultant; password {DEMO_PASSWORD}"
            )
        )
