"""Writes: calendar days and time limits, maintained by platform operators; every change audited.

Each write replaces the cache token immediately and again after the commit, so every process
reloads the calendar (selectors) and deadlines computed afterwards use the edit.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, NotFound, ValidationFailed
from dfsp.workdays import holiday_data, selectors
from dfsp.workdays.choices import MAX_LIMIT_DAYS, DayKind, DaySource, InstitutionType, Step
from dfsp.workdays.models import CalendarDay, TimeLimit

CALENDAR_YEARS = range(2000, 2101)


def _require_operator(actor) -> None:
    if actor is None or not actor.has_role(Role.OPERATOR):
        raise AccessDenied(
            _("Only platform operators maintain the working-day calendar."), code="not_operator"
        )


def _changed() -> None:
    selectors.invalidate()
    transaction.on_commit(selectors.invalidate)


def _snapshot(row: CalendarDay | None) -> dict:
    if row is None:
        return {}
    return {"kind": row.kind, "name": row.name, "note": row.note, "source": row.source}


def _clean_day(day, kind, name, note) -> tuple[dt.date, str, str, str]:
    errors = {}
    if not isinstance(day, dt.date) or day.year not in CALENDAR_YEARS:
        errors["day"] = _("Enter a date between 2000 and 2100.")
    if kind not in DayKind.values:
        errors["kind"] = _("Choose a public holiday or a make-up working day.")
    elif isinstance(day, dt.date) and kind == DayKind.WORKDAY and day.weekday() < 5:
        errors["kind"] = _(
            "Monday to Friday are working days already; only a weekend day can be a make-up working day."
        )
    name = (name or "").strip()
    note = (note or "").strip()
    if kind == DayKind.HOLIDAY and not name:
        errors["name"] = _("Name the holiday.")
    if len(name) > 60:
        errors["name"] = _("At most 60 characters.")
    if len(note) > 300:
        errors["note"] = _("At most 300 characters.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    return day, kind, name, note


def save_day(
    *, actor, day: dt.date, kind: str, name: str = "", note: str = "", confirmed: bool = False
) -> CalendarDay:
    """Add or change one exceptional day. ``confirmed`` marks a provisional row as checked
    against the State Council notice; otherwise a provisional row stays provisional."""
    _require_operator(actor)
    day, kind, name, note = _clean_day(day, kind, name, note)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(day=day).first()
        before = _snapshot(row)
        if row is None:
            row = CalendarDay(day=day, source=DaySource.OPERATOR)
        elif row.source == DaySource.PROVISIONAL and confirmed:
            row.source = DaySource.OPERATOR
        row.kind, row.name, row.note, row.updated_by = kind, name, note, actor
        row.save()
        record_event(
            event_type="workdays.day.created" if not before else "workdays.day.changed",
            actor=actor,
            object_type="workdays.CalendarDay",
            object_id=day.isoformat(),
            details={"before": before, "after": _snapshot(row)},
        )
        _changed()
    return row


def delete_day(*, actor, day: dt.date) -> None:
    """Remove an exception: the date follows the weekend rule again."""
    _require_operator(actor)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(day=day).first()
        if row is None:
            raise NotFound()
        before = _snapshot(row)
        row.delete()
        record_event(
            event_type="workdays.day.deleted",
            actor=actor,
            object_type="workdays.CalendarDay",
            object_id=day.isoformat(),
            details={"before": before},
        )
        _changed()


def seed_year(*, year: int, actor=None) -> int:
    """Create the year's holidays and make-up days (official data, else provisional statutory days).

    Idempotent: dates that already have a row — perhaps edited by an operator — are left alone.
    ``actor`` None is the system (migration, demo, command); a person must be an operator.
    Returns the number of rows created.
    """
    if actor is not None:
        _require_operator(actor)
    try:
        seeds = holiday_data.days_for(year)
    except holiday_data.YearNotAvailable:
        raise ValidationFailed(
            _("No holiday data for %(year)s yet: enter its days by hand.") % {"year": year},
            code="calendar_year_unavailable",
        ) from None
    with transaction.atomic():
        existing = set(CalendarDay.objects.filter(day__year=year).values_list("day", flat=True))
        new = [
            CalendarDay(day=s.day, kind=s.kind, name=s.name, note=s.note, source=s.source, updated_by=actor)
            for s in seeds
            if s.day not in existing
        ]
        CalendarDay.objects.bulk_create(new)
        if new:
            record_event(
                event_type="workdays.year.seeded",
                actor=actor,
                object_type="workdays.CalendarYear",
                object_id=str(year),
                details={"created": len(new), "source": seeds[0].source if seeds else ""},
            )
        _changed()
    return len(new)


def set_time_limit(*, actor, step: str, institution_type: str, working_days) -> TimeLimit:
    _require_operator(actor)
    errors = {}
    if step not in Step.values:
        errors["step"] = _("Unknown step.")
    if institution_type not in InstitutionType.values:
        errors["institution_type"] = _("Unknown institution type.")
    try:
        working_days = int(working_days)
        if not 1 <= working_days <= MAX_LIMIT_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["working_days"] = _("Enter a whole number of working days from 1 to %(max)d.") % {
            "max": MAX_LIMIT_DAYS
        }
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        before = selectors.time_limit_days(step=step, institution_type=institution_type)
        limit, _created = TimeLimit.objects.select_for_update().get_or_create(
            step=step,
            institution_type=institution_type,
            defaults={"working_days": working_days, "updated_by": actor},
        )
        limit.working_days, limit.updated_by = working_days, actor
        limit.save(update_fields=["working_days", "updated_by", "updated_at"])
        record_event(
            event_type="workdays.time_limit.changed",
            actor=actor,
            object_type="workdays.TimeLimit",
            object_id=f"{step}/{institution_type}",
            details={"before": before, "after": working_days},
        )
        _changed()
    return limit
