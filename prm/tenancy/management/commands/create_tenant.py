"""Provision a tenant and its first admin from the shell."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from prm.tenancy.services import tenant_create


class Command(BaseCommand):
    help = "Create a tenant with its first admin user (nothing is created on error)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--currency", default="EUR")
        parser.add_argument("--language", default="en")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)

    def handle(self, *args, **options):
        try:
            tenant = tenant_create(
                slug=options["slug"],
                name=options["name"],
                currency=options["currency"],
                default_language=options["language"],
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
                admin_password=options["admin_password"],
            )
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("Nothing was created.\n" + "\n".join(lines)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created tenant {tenant.slug} ({tenant.name})."))
