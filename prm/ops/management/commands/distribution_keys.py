"""``manage.py distribution_keys``: the keys of tenant tables that would block distributing them by
``tenant_id`` (Citus), with a summary by kind. ``--summary`` prints only the counts. See
``prm/ops/distribution.py`` and docs/scale-out.md."""

from django.core.management.base import BaseCommand

from ... import distribution


class Command(BaseCommand):
    help = "List the primary keys, unique keys and foreign keys of tenant tables without tenant_id."

    def add_arguments(self, parser):
        parser.add_argument("--summary", action="store_true", help="print only the counts by kind")

    def handle(self, *args, summary=False, **options):
        found = distribution.blockers()
        if not summary:
            for blocker in found:
                kind = distribution.KINDS[blocker.kind]
                self.stdout.write(f"{kind:30} {blocker.table}.{blocker.name} ({blocker.columns})")
            self.stdout.write("")
        self.stdout.write(f"tenant tables: {distribution.tenant_table_count()}")
        for words, count in distribution.summary(found).items():
            self.stdout.write(f"{words}: {count}")
