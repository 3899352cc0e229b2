"""Reads: working days, time limits and deadlines.

A date is a working day when an operator-maintained ``CalendarDay`` says so (a 调休 Saturday is
a working day, a holiday Monday is not); without a row, Monday–Friday work and weekends do not.
Years nobody seeded therefore fall back to the plain weekend rule (``seeded_years`` tells).

**Deadline rule (``due_at``).** Take the start's local date in Asia/Shanghai. If that date is not
a working day, the next working day is treated as the start date (an application received on a
Saturday counts as received on Monday). The deadline is 23:59:59 local time at the end of the Nth
working day after the start date, N = ``time_limit_days(step, institution_type)``. The start day
itself is never counted: received Monday with N = 2 → due Wednesday 23:59:59.

The calendar and the limits are cached per process and validated against a token in the Django
cache; every edit (services) replaces the token, so all processes reload on their next read.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from dfsp.workdays.choices import DEFAULT_LIMITS, DayKind, DaySource, InstitutionType, Step
from dfsp.workdays.models import CalendarDay, TimeLimit

CACHE_KEY = "workdays:token"
LOCAL_TZ = "Asia/Shanghai"
# add_working_days gives up after this many calendar days (a calendar of only holidays is a bug).
_MAX_SCAN_DAYS = 3660


@dataclass(frozen=True)
class _Snapshot:
    token: str
    working: frozenset  # weekend dates that are worked (调休)
    off: frozenset  # weekday dates that are holidays
    years: frozenset
    limits: dict


_local: dict[str, _Snapshot | None] = {"snapshot": None}


def _token() -> str:
    token = cache.get(CACHE_KEY)
    if token is None:
        cache.add(CACHE_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(CACHE_KEY) or "uncached"
    return token


def invalidate() -> None:
    """Make every process reload the calendar and the limits on its next read."""
    cache.delete(CACHE_KEY)
    _local["snapshot"] = None


def _snapshot() -> _Snapshot:
    token = _token()
    current = _local["snapshot"]
    if current is not None and current.token == token:
        return current
    working, off, years = set(), set(), set()
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        years.add(day.year)
        weekend = day.weekday() >= 5
        if kind == DayKind.WORKDAY and weekend:
            working.add(day)
        elif kind == DayKind.HOLIDAY and not weekend:
            off.add(day)
    limits = {(t.step, t.institution_type): t.working_days for t in TimeLimit.objects.all()}
    snapshot = _Snapshot(token, frozenset(working), frozenset(off), frozenset(years), limits)
    _local["snapshot"] = snapshot
    return snapshot


def _working(day: dt.date, snapshot: _Snapshot) -> bool:
    if day.weekday() >= 5:
        return day in snapshot.working
    return day not in snapshot.off


def is_working_day(d: dt.date) -> bool:
    return _working(d, _snapshot())


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (start itself not counted; negative: before).

    ``days == 0`` returns ``start`` unchanged, working day or not.
    """
    snapshot = _snapshot()
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    scanned = 0
    while remaining:
        day += dt.timedelta(days=step)
        scanned += 1
        if scanned > _MAX_SCAN_DAYS:
            raise ValueError("No working days found within ten years; check the calendar.")
        if _working(day, snapshot):
            remaining -= 1
    return day


def next_working_day_on_or_after(d: dt.date) -> dt.date:
    return d if is_working_day(d) else add_working_days(d, 1)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: ``working_days_between(s, add_working_days(s, n)) == n``.

    Negative when ``end`` is before ``start``.
    """
    if end < start:
        return -working_days_between(end, start)
    snapshot = _snapshot()
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if _working(day, snapshot):
            count += 1
    return count


def time_limit_days(*, step: str, institution_type: str) -> int:
    """Working days allowed for ``step``; unknown institution types use the ``other`` limit."""
    if step not in Step.values:
        raise ValueError(f"Unknown step {step!r}.")
    if institution_type not in InstitutionType.values:
        institution_type = InstitutionType.OTHER
    limits = _snapshot().limits
    return limits.get((step, institution_type), DEFAULT_LIMITS[Step(step)])


def due_at(*, step: str, institution_type: str, start: dt.datetime) -> dt.datetime:
    """End (23:59:59 Asia/Shanghai) of the Nth working day after the start date; see module doc."""
    if timezone.is_naive(start):
        raise ValueError("due_at needs an aware datetime.")
    tz = ZoneInfo(LOCAL_TZ)
    start_date = next_working_day_on_or_after(start.astimezone(tz).date())
    due_date = add_working_days(start_date, time_limit_days(step=step, institution_type=institution_type))
    return dt.datetime.combine(due_date, dt.time(23, 59, 59), tzinfo=tz)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(LOCAL_TZ)).date()


def seeded_years() -> frozenset:
    return _snapshot().years


def days_in_year(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(day__year=year).select_related("updated_by").order_by("day")


def provisional_count(year: int) -> int:
    return CalendarDay.objects.filter(day__year=year, source=DaySource.PROVISIONAL).count()


def get_day(day: dt.date) -> CalendarDay | None:
    return CalendarDay.objects.filter(day=day).first()


@dataclass(frozen=True)
class LimitRow:
    step: str
    step_label: str
    cells: list  # [(institution_type, label, working_days, customised)]


def time_limit_table() -> list[LimitRow]:
    limits = _snapshot().limits
    rows = []
    for step in Step:
        cells = []
        for kind in InstitutionType:
            value = limits.get((step.value, kind.value))
            cells.append((kind.value, kind.label, value or DEFAULT_LIMITS[step], value is not None))
        rows.append(LimitRow(step.value, step.label, cells))
    return rows
