"""Scorecards' settings move under their own key of each tenant's programme settings.

Partners used to store them with its own (``programme_settings["partners"]``): the attainment cap,
the dimension balance, the vendor's answer time and the installed base's reminders. Scorecards owns
them now (``scorecards.programme``) and reads ``programme_settings["scorecards"]``. Each tenant's
stored values move there unchanged (a value already under the new key wins); backwards, they move
back.
"""

from django.db import migrations

KEY = "scorecards"
#: the names scorecards took over from partners' section when this migration was written
NAMES = (
    "attainment_cap",
    "balance_spread",
    "answer_within_days",
    "service_reminder_days",
    "remind_end_customers",
)


def _move(apps, schema_editor, source, target):
    Tenant = apps.get_model("tenancy", "Tenant")
    for tenant in Tenant.objects.using(schema_editor.connection.alias).exclude(programme_settings={}):
        settings = dict(tenant.programme_settings or {})
        old, new = dict(settings.get(source) or {}), dict(settings.get(target) or {})
        moved = {name: old.pop(name) for name in NAMES if name in old}
        if not moved:
            continue
        settings[target] = {**moved, **new}
        if old:
            settings[source] = old
        else:  # nothing else was stored there
            del settings[source]
        tenant.programme_settings = settings
        tenant.save(update_fields=["programme_settings"])


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "partners", KEY)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, KEY, "partners")


class Migration(migrations.Migration):

    dependencies = [
        ("scorecards", "0012_scorecard_history"),
        ("tenancy", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
