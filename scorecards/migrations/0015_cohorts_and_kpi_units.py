"""KPIs get a unit (number, money, percent) and scorecard lines keep their KPI's; a scorecard keeps
which cohort it was ranked among (tier and region, tier, or the whole channel).

Existing KPIs take their source's unit (as ``choices.UNIT_OF_SOURCE`` said when this was written:
sales and funds approved are money; growth, win rate, answers in time (deal registrations' and
partner requests'), training and leads accepted are percentages; everything else a number), and
existing lines their KPI's. Existing scorecards were all ranked within their tier and region, the
column's default. The tables are behind forced
row-level security: their owner (who migrates) lifts it for the updates.
"""

from django.db import migrations, models

#: the sources whose KPIs are not plain numbers, when this migration was written
MONEY = ("sales", "mdf_approved")
PERCENT = ("growth", "win_rate", "answered_in_time", "training", "leads_accepted", "requests_answered")


def _unforced(schema_editor, tables, statements):
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgres:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        for sql, params in statements:
            cursor.execute(sql, params)
        if postgres:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def units_by_source(apps, schema_editor):
    """Every KPI takes its source's unit, every scorecard line its KPI's."""
    _unforced(
        schema_editor,
        ["scorecards_kpi", "scorecards_scorecardline"],
        [
            ("UPDATE scorecards_kpi SET unit = 'money' WHERE source = ANY(%s)", [list(MONEY)]),
            ("UPDATE scorecards_kpi SET unit = 'percent' WHERE source = ANY(%s)", [list(PERCENT)]),
            (
                "UPDATE scorecards_scorecardline l SET unit = k.unit FROM scorecards_kpi k "
                "WHERE l.kpi_id = k.id AND l.tenant_id = k.tenant_id AND k.unit <> 'number'",
                [],
            ),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0014_delete_scorecard_chunks"),
    ]

    operations = [
        migrations.AddField(
            model_name="kpi",
            name="unit",
            field=models.CharField(
                choices=[
                    ("number", "Number"),
                    ("money", "Money (the tenant's currency)"),
                    ("percent", "Percent"),
                ],
                db_default="number",
                default="number",
                help_text="How its targets and actuals are shown: a number, an amount of money, or a percentage.",
                max_length=10,
                verbose_name="unit",
            ),
        ),
        migrations.AddField(
            model_name="scorecard",
            name="cohort",
            field=models.CharField(
                choices=[
                    ("tier_region", "Same tier and region"),
                    ("tier", "Same tier, every region"),
                    ("channel", "The whole channel"),
                ],
                db_default="tier_region",
                default="tier_region",
                max_length=12,
                verbose_name="cohort",
            ),
        ),
        migrations.AddField(
            model_name="scorecardline",
            name="unit",
            field=models.CharField(
                choices=[
                    ("number", "Number"),
                    ("money", "Money (the tenant's currency)"),
                    ("percent", "Percent"),
                ],
                db_default="number",
                default="number",
                max_length=10,
                verbose_name="unit",
            ),
        ),
        migrations.AddField(
            model_name="scorecardrevision",
            name="cohort",
            field=models.CharField(
                choices=[
                    ("tier_region", "Same tier and region"),
                    ("tier", "Same tier, every region"),
                    ("channel", "The whole channel"),
                ],
                db_default="tier_region",
                default="tier_region",
                max_length=12,
                verbose_name="cohort",
            ),
        ),
        migrations.RunPython(units_by_source, migrations.RunPython.noop),
    ]
