"""Scorecards' settings get their own key of each tenant's programme settings.

Partners used to store them with its own (``programme_settings["partners"]``): the attainment cap,
the dimension balance, the vendor's answer time and the installed base's reminders. Scorecards owns
them now (``scorecards.programme``) and reads ``programme_settings["scorecards"]``.

Each tenant's stored values are copied there unchanged (a value already under the new key wins).
The copies under partners' key stay for the previous release's code, which reads them while this
release rolls out; nothing here reads them, and a later release's migration drops them. Backwards,
the values go back under partners' key and the app's own key goes.
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


def forwards(apps, schema_editor):
    """Copy the app's values from partners' key to its own (a value already there wins). Partners'
    copies stay where they were for the previous release's code, which reads them while this
    release rolls out; nothing in this release reads them."""
    Tenant = apps.get_model("tenancy", "Tenant")
    for tenant in Tenant.objects.using(schema_editor.connection.alias).exclude(programme_settings={}):
        settings = dict(tenant.programme_settings or {})
        legacy = settings.get("partners") or {}
        found = {name: legacy[name] for name in NAMES if name in legacy}
        if not found:
            continue
        settings[KEY] = {**found, **(settings.get(KEY) or {})}
        tenant.programme_settings = settings
        tenant.save(update_fields=["programme_settings"])


def backwards(apps, schema_editor):
    """Put the app's values back under partners' key, as this release last set them, and drop its
    own key."""
    Tenant = apps.get_model("tenancy", "Tenant")
    for tenant in Tenant.objects.using(schema_editor.connection.alias).exclude(programme_settings={}):
        settings = dict(tenant.programme_settings or {})
        if KEY not in settings:
            continue
        own = settings.pop(KEY) or {}
        kept = {name: own[name] for name in NAMES if name in own}
        if kept:
            settings["partners"] = {**(settings.get("partners") or {}), **kept}
        tenant.programme_settings = settings
        tenant.save(update_fields=["programme_settings"])


class Migration(migrations.Migration):

    dependencies = [
        ("scorecards", "0012_scorecard_history"),
        ("tenancy", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
