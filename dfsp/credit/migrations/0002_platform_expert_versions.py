"""Install the three platform models with their expert versions, active: the fallback that scores
until an operator activates another version."""

import copy

from django.db import migrations
from django.utils import timezone


def install(apps, schema_editor):
    from dfsp.credit.expert import DEFAULT_MODELS

    DecisionModel = apps.get_model("credit", "DecisionModel")
    ModelVersion = apps.get_model("credit", "ModelVersion")
    VersionEvent = apps.get_model("credit", "VersionEvent")
    for code, kind, name, params in DEFAULT_MODELS:
        model, _created = DecisionModel.objects.get_or_create(code=code, defaults={"kind": kind, "name": name})
        if ModelVersion.objects.filter(model=model).exists():
            continue
        version = ModelVersion.objects.create(
            model=model,
            owner=None,
            number=1,
            status="active",
            method="expert",
            params=copy.deepcopy(params),
            note="专家版本（平台默认）",
            activated_at=timezone.now(),
        )
        VersionEvent.objects.create(version=version, action="activated", note="installed")


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
