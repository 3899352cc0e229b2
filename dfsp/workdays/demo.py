"""Demo calendar: 2026 (official) and 2027 (provisional until the notice is out), one operator
note on a make-up day, and a customised time limit for local financial organisations."""

import datetime as dt

from django.contrib.auth import get_user_model

from dfsp.workdays import selectors, services
from dfsp.workdays.models import TimeLimit


def seed(stdout) -> None:
    created = sum(services.seed_year(year=year) for year in (2026, 2027))
    operator = get_user_model().objects.filter(username="operator").first()
    if operator is None:
        stdout.write(f"  workdays: {created} calendar dates (no operator account for the notes)\n")
        return
    makeup = selectors.get_day(dt.date(2026, 2, 28))
    if makeup is not None and not makeup.note:
        services.save_day(
            actor=operator,
            day=makeup.day,
            kind=makeup.kind,
            name=makeup.name,
            note="春节调休上班：各机构正常受理融资申请",
        )
    if not TimeLimit.objects.filter(step="decide", institution_type="local_finance").exists():
        services.set_time_limit(
            actor=operator, step="decide", institution_type="local_finance", working_days=7
        )
    stdout.write(f"  workdays: {created} calendar dates added; 2027 provisional until the notice is out\n")
