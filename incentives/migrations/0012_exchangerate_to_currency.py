"""The exchange-rate model leaves incentives' state for the currency module (``currency`` 0001).

State only: the table, its rows and its row-level security policy stay as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("currency", "0001_exchangerate_from_incentives"),
        ("incentives", "0011_payout_run_warning_rows"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExchangeRate")],
            database_operations=[],
        ),
    ]
