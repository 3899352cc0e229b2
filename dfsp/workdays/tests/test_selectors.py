"""Working days around Spring Festival 2026, 调休 weekends, year boundaries and the due_at rule."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dfsp.workdays import selectors
from dfsp.workdays.selectors import (
    add_working_days,
    due_at,
    is_working_day,
    time_limit_days,
    working_days_between,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
D = dt.date


def test_spring_festival_2026_is_off_and_its_saturdays_are_worked():
    assert is_working_day(D(2026, 2, 13))  # Friday before
    assert is_working_day(D(2026, 2, 14))  # Saturday, 调休
    assert not any(is_working_day(D(2026, 2, day)) for day in range(15, 24))
    assert is_working_day(D(2026, 2, 24))
    assert is_working_day(D(2026, 2, 28))  # Saturday, 调休
    assert not is_working_day(D(2026, 3, 1))  # ordinary Sunday


def test_ordinary_weekend_and_weekday():
    assert not is_working_day(D(2026, 3, 7))
    assert is_working_day(D(2026, 3, 9))


def test_add_working_days_skips_the_festival():
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)


def test_working_days_between_inverts_add():
    start = D(2026, 2, 10)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 14)) == -1
    assert working_days_between(D(2026, 2, 15), D(2026, 2, 23)) == 0


def test_year_boundary_2026_2027():
    # 2026-12-31 is a Thursday; 2027-01-01 (Friday) is New Year's Day (provisional); then the weekend.
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == 2
    # 2025-12-31 → 2026: 1–3 January off, Sunday 4 January is worked.
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)


def test_unseeded_year_falls_back_to_weekends():
    assert 2030 not in selectors.seeded_years()
    assert not is_working_day(D(2030, 1, 5))  # Saturday
    assert is_working_day(D(2030, 1, 1))  # not seeded: a plain Tuesday


def test_default_time_limits():
    assert time_limit_days(step="accept", institution_type="banking") == 2
    assert time_limit_days(step="decide", institution_type="insurance") == 5
    assert time_limit_days(step="disburse", institution_type="unknown-type") == 5
    with pytest.raises(ValueError):
        time_limit_days(step="nap", institution_type="banking")


def test_due_at_is_end_of_nth_working_day_local():
    start = dt.datetime(2026, 3, 2, 9, 30, tzinfo=SH)  # Monday
    assert due_at(step="accept", institution_type="banking", start=start) == dt.datetime(
        2026, 3, 4, 23, 59, 59, tzinfo=SH
    )


def test_due_at_uses_the_shanghai_date_of_a_utc_start():
    # 2026-03-01 17:00 UTC is Monday 01:00 in Shanghai: counts from Monday, not from Sunday.
    start = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)
    assert due_at(step="accept", institution_type="banking", start=start).date() == D(2026, 3, 4)


def test_due_at_from_a_non_working_day_counts_from_the_next_working_day():
    saturday = dt.datetime(2026, 3, 7, 10, tzinfo=SH)
    friday = dt.datetime(2026, 3, 6, 10, tzinfo=SH)
    assert due_at(step="accept", institution_type="banking", start=saturday).date() == D(2026, 3, 11)
    assert due_at(step="accept", institution_type="banking", start=friday).date() == D(2026, 3, 10)


def test_due_at_across_spring_festival():
    # Received on the festival's first Monday: start date becomes Tuesday 24 Feb; five working
    # days are 25, 26, 27, Saturday 28 Feb (调休) and Monday 2 March.
    start = dt.datetime(2026, 2, 16, 11, tzinfo=SH)
    assert due_at(step="decide", institution_type="banking", start=start).date() == D(2026, 3, 2)
    # Received Friday 13 Feb: Saturday 14 Feb (调休) is working day 1, then 24, 25 Feb.
    start = dt.datetime(2026, 2, 13, 15, tzinfo=SH)
    assert due_at(step="accept", institution_type="banking", start=start).date() == D(2026, 2, 24)


def test_due_at_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        due_at(step="accept", institution_type="banking", start=dt.datetime(2026, 3, 2, 9))
