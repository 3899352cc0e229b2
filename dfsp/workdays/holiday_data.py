"""Where the seeded calendar comes from.

Official years come from the ``chinesecalendar`` package (LKI/chinese-calendar), which transcribes
each year's State Council notice (国务院办公厅关于节假日安排的通知): every holiday and every
make-up working day (调休). A year the package does not cover yet (its notice is not out) is seeded
*provisionally* with the statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision, in force
since 2025): 元旦 1 day, 春节 4 days (除夕 to 初三), 清明 1, 劳动节 2 (1–2 May), 端午 1, 中秋 1,
国庆 3 (1–3 October) — 13 days, no make-up days. Operators confirm those rows once the notice is out.
"""

import datetime as dt
from dataclasses import dataclass

from dfsp.workdays.choices import DayKind, DaySource

# Gregorian dates of the lunar festivals (紫金山天文台 almanac): 除夕, 端午 (五月初五), 中秋 (八月十五).
# Only needed for years without an official notice in chinesecalendar.
_LUNAR_FESTIVALS = {
    2027: {
        "eve": dt.date(2027, 2, 5),
        "dragon_boat": dt.date(2027, 6, 9),
        "mid_autumn": dt.date(2027, 9, 15),
    },
    2028: {
        "eve": dt.date(2028, 1, 25),
        "dragon_boat": dt.date(2028, 5, 28),
        "mid_autumn": dt.date(2028, 10, 3),
    },
}

# Names as chinesecalendar spells them, for both sources.
NEW_YEAR = "New Year's Day"
SPRING_FESTIVAL = "Spring Festival"
TOMB_SWEEPING = "Tomb-sweeping Day"
LABOUR_DAY = "Labour Day"
DRAGON_BOAT = "Dragon Boat Festival"
MID_AUTUMN = "Mid-autumn Festival"
NATIONAL_DAY = "National Day"

PROVISIONAL_NOTE = "Provisional — confirm against the State Council notice"


@dataclass(frozen=True)
class SeedDay:
    day: dt.date
    kind: str
    name: str
    source: str
    note: str = ""


class YearNotAvailable(Exception):
    """Neither the official data nor the lunar table covers the year."""


def official_days(year: int) -> list[SeedDay] | None:
    """Holidays and make-up days of ``year`` from the State Council notice, or None if not covered."""
    import chinese_calendar

    day = dt.date(year, 1, 1)
    try:
        chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    days = []
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        weekend = day.weekday() >= 5
        if on_holiday and name:
            days.append(SeedDay(day, DayKind.HOLIDAY, name, DaySource.OFFICIAL))
        elif not on_holiday and weekend:
            days.append(SeedDay(day, DayKind.WORKDAY, name or "", DaySource.OFFICIAL))
        day += dt.timedelta(days=1)
    return days


def _qingming(year: int) -> dt.date:
    import chinese_calendar

    for when, term in chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 7)):
        if term == "清明":
            return when
    raise YearNotAvailable(year)


def provisional_days(year: int) -> list[SeedDay]:
    """The 13 statutory holiday days of ``year``, marked provisional; no make-up days are guessed."""
    lunar = _LUNAR_FESTIVALS.get(year)
    if lunar is None:
        raise YearNotAvailable(year)
    eve = lunar["eve"]
    named = [
        (dt.date(year, 1, 1), NEW_YEAR),
        *((eve + dt.timedelta(days=offset), SPRING_FESTIVAL) for offset in range(4)),
        (_qingming(year), TOMB_SWEEPING),
        (dt.date(year, 5, 1), LABOUR_DAY),
        (dt.date(year, 5, 2), LABOUR_DAY),
        (lunar["dragon_boat"], DRAGON_BOAT),
        (lunar["mid_autumn"], MID_AUTUMN),
        *((dt.date(year, 10, day), NATIONAL_DAY) for day in (1, 2, 3)),
    ]
    # A lunar festival can fall on another holiday (中秋 on 3 October 2028): one row per date; the
    # State Council then usually adds a day, which is exactly what operators confirm later.
    by_date: dict = {}
    for day, name in sorted(named):
        if day.year == year:
            by_date.setdefault(day, name)
    return [
        SeedDay(day, DayKind.HOLIDAY, name, DaySource.PROVISIONAL, PROVISIONAL_NOTE)
        for day, name in by_date.items()
    ]


def days_for(year: int) -> list[SeedDay]:
    official = official_days(year)
    return official if official is not None else provisional_days(year)
