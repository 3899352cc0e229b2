"""Record when an entry was applied to certified enterprises; entries dated in the future wait for
the daily job. Existing entries that were in force when created were applied then."""

from django.db import migrations, models
from django.utils import timezone


def mark_applied(apps, schema_editor):
    BlacklistEntry = apps.get_model("enterprises", "BlacklistEntry")
    for entry in BlacklistEntry.objects.filter(applied_at__isnull=True).iterator():
        if entry.start_date <= timezone.localdate(entry.created_at):
            BlacklistEntry.objects.filter(pk=entry.pk).update(applied_at=entry.created_at)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="blacklistentry",
            name="applied_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="applied at"),
        ),
        migrations.RunPython(mark_applied, migrations.RunPython.noop, elidable=True),
    ]
