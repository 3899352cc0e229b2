"""Working days API: the calendar of one year and the time limits (any signed-in caller)."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from dfsp.core.schemas import ErrorOut
from dfsp.workdays import selectors

router = Router(tags=["workdays"])


class DayOut(Schema):
    day: dt.date
    kind: str = Field(description="holiday: a day off; workday: a weekend day that is worked (调休).")
    name: str
    note: str
    source: str = Field(
        description="official, provisional (computed; confirm against the notice) or operator."
    )


class YearQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)


class LimitOut(Schema):
    step: str
    institution_type: str
    working_days: int


@router.get("/calendar", response={200: list[DayOut], 401: ErrorOut, 422: ErrorOut})
def calendar(request, query: Query[YearQuery]):
    """Exceptions to the weekend rule in one year; any other weekday is a working day."""
    return [
        DayOut(day=r.day, kind=r.kind, name=r.name, note=r.note, source=r.source)
        for r in selectors.days_in_year(query.year)
    ]


@router.get("/time-limits", response={200: list[LimitOut], 401: ErrorOut})
def time_limits(request):
    """Working days allowed per application step and institution type."""
    return [
        LimitOut(step=row.step, institution_type=kind, working_days=days)
        for row in selectors.time_limit_table()
        for kind, _label, days, _customised in row.cells
    ]
