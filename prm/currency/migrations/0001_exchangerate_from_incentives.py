"""The exchange-rate table moves from incentives to the currency module, rows and all.

Only Django's idea of where the model lives changes: the table keeps its name
(``incentives_exchangerate``, ``Meta.db_table``), its rows, its constraint and its
row-level security policy; ``incentives`` 0012 drops the model from incentives' state.
A fresh database gets the table from ``incentives`` 0001 as before, and the
post-migrate step of ``prm.tenancy.rls`` puts it behind the policy like every
``TenantOwned`` table, then as now.

Two locators of the model's name follow it: its content type (the admin's log and
permissions) and the audit trail's ``target_type`` of rates added so far, so one
name (``currency.exchangerate``) finds a rate's whole history. The audit table is
behind forced row-level security, which binds the owner that runs migrations too:
the entries are renamed tenant by tenant, each in its tenant's scope, through the
index on (tenant, target type, target id), never locking the table against the
running release (no ALTER TABLE).
"""

import django.db.models.deletion
from django.db import migrations, models

import prm.tenancy.models
from prm.tenancy.context import tenant_context

TABLE = "incentives_exchangerate"
BEFORE, AFTER = "incentives.exchangerate", "currency.exchangerate"


def _content_type(apps, schema_editor, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=to_label, model="exchangerate").exists():
        types.filter(app_label=from_label, model="exchangerate").update(app_label=to_label)


def _audit_target_type(apps, schema_editor, old, new):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Tenant = apps.get_model("tenancy", "Tenant")
    alias = schema_editor.connection.alias
    for tenant_id in Tenant.objects.using(alias).values_list("pk", flat=True):
        with tenant_context(tenant_id):
            entries = AuditEntry.objects.using(alias).filter(tenant_id=tenant_id, target_type=old)
            entries.update(target_type=new)


def forwards(apps, schema_editor):
    _content_type(apps, schema_editor, "incentives", "currency")
    _audit_target_type(apps, schema_editor, BEFORE, AFTER)


def backwards(apps, schema_editor):
    _content_type(apps, schema_editor, "currency", "incentives")
    _audit_target_type(apps, schema_editor, AFTER, BEFORE)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("audit", "0002_list_keyset_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("incentives", "0011_payout_run_warning_rows"),
        ("tenancy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExchangeRate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("currency", models.CharField(max_length=3, validators=[prm.tenancy.models.currency_validator], verbose_name="currency")),
                        ("date", models.DateField(verbose_name="valid from")),
                        ("rate", models.DecimalField(decimal_places=8, max_digits=18, verbose_name="rate")),
                        ("tenant", models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="tenancy.tenant", verbose_name="tenant")),
                    ],
                    options={
                        "verbose_name": "exchange rate",
                        "verbose_name_plural": "exchange rates",
                        "db_table": TABLE,
                        "ordering": ["currency", "-date"],
                        "constraints": [models.UniqueConstraint(fields=("tenant", "currency", "date"), name="rate_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
