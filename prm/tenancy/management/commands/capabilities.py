"""Print the capability table (who may do what) as docs/permissions.md holds it."""

from django.core.management.base import BaseCommand

from prm.tenancy.capabilities import markdown_table


class Command(BaseCommand):
    help = "Print the capability table: which role may do what (Markdown)."

    def handle(self, *args, **options):
        self.stdout.write(markdown_table())
