import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Jobs record when their task was handed to the queue; the jobs that exist already were."""

    dependencies = [
        ('jobs', '0003_list_keyset_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='sent_at',
            # existing rows: sent (the moment of the migration), so the sweep never sends them again
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True, verbose_name='sent to the queue at'),
            preserve_default=False,
        ),
    ]
