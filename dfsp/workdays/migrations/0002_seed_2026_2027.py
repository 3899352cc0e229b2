"""Seed 2026 (official: State Council notice via chinesecalendar) and 2027 (provisional statutory days)."""

from django.db import migrations

YEARS = (2026, 2027)


def seed(apps, schema_editor):
    from dfsp.workdays.holiday_data import days_for

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for year in YEARS:
        existing = set(CalendarDay.objects.filter(day__year=year).values_list("day", flat=True))
        CalendarDay.objects.bulk_create(
            CalendarDay(day=s.day, kind=s.kind, name=s.name, note=s.note, source=s.source)
            for s in days_for(year)
            if s.day not in existing
        )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
