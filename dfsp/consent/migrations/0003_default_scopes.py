from django.db import migrations

from dfsp.consent import defaults


def install(apps, schema_editor):
    defaults.install(apps.get_model("consent", "Scope"), apps.get_model("consent", "ConsentTemplate"))


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_call_log_append_only")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
