"""Operators maintain the calendar and the limits (audited, cached deadlines follow); others cannot."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from dfsp.core.errors import AccessDenied, NotFound, ValidationFailed
from dfsp.workdays import selectors, services
from dfsp.workdays.choices import DaySource
from dfsp.workdays.models import CalendarDay, TimeLimit

pytestmark = pytest.mark.django_db


def audit_events():
    return apps.get_model("audit", "AuditEvent").objects


D = dt.date


def test_migration_seeded_2026_official_and_2027_provisional():
    assert CalendarDay.objects.filter(day__year=2026, source=DaySource.OFFICIAL).count() == 39
    provisional = CalendarDay.objects.filter(day__year=2027)
    assert provisional.count() == 13
    assert set(provisional.values_list("source", flat=True)) == {DaySource.PROVISIONAL}
    assert "State Council notice" in provisional.first().note


def test_operator_adds_a_holiday_and_deadlines_follow(operator_user):
    assert selectors.is_working_day(D(2026, 3, 10))
    services.save_day(
        actor=operator_user, day=D(2026, 3, 10), kind="holiday", name="特别假日", note="市政府通知"
    )
    assert not selectors.is_working_day(D(2026, 3, 10))
    assert selectors.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)
    event = audit_events().get(event_type="workdays.day.created")
    assert event.object_id == "2026-03-10"


def test_operator_edits_and_deletes_a_day_with_audit(operator_user):
    services.save_day(actor=operator_user, day=D(2026, 2, 14), kind="holiday", name="Spring Festival")
    assert not selectors.is_working_day(D(2026, 2, 14))
    services.delete_day(actor=operator_user, day=D(2026, 2, 14))
    assert not selectors.is_working_day(D(2026, 2, 14))  # plain Saturday again
    types = list(
        audit_events().filter(event_type__startswith="workdays.day").values_list("event_type", flat=True)
    )
    assert sorted(types) == ["workdays.day.changed", "workdays.day.deleted"]
    with pytest.raises(NotFound):
        services.delete_day(actor=operator_user, day=D(2026, 2, 14))


def test_confirming_a_provisional_day_clears_the_mark(operator_user):
    row = CalendarDay.objects.get(day=D(2027, 1, 1))
    services.save_day(actor=operator_user, day=row.day, kind=row.kind, name=row.name, note="")
    assert CalendarDay.objects.get(day=row.day).source == DaySource.PROVISIONAL
    services.save_day(actor=operator_user, day=row.day, kind=row.kind, name=row.name, confirmed=True)
    assert CalendarDay.objects.get(day=row.day).source == DaySource.OPERATOR


@pytest.mark.parametrize(
    "fields, bad",
    [
        ({"day": D(2026, 3, 11), "kind": "workday"}, "kind"),  # a Wednesday cannot be a make-up day
        ({"day": D(2026, 3, 11), "kind": "holiday", "name": ""}, "name"),
        ({"day": D(2026, 3, 11), "kind": "nap"}, "kind"),
        ({"day": "2026-03-11", "kind": "holiday", "name": "x"}, "day"),
    ],
)
def test_bad_days_are_refused_and_nothing_changes(operator_user, fields, bad):
    before = CalendarDay.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.save_day(actor=operator_user, **fields)
    assert bad in caught.value.field_errors
    assert CalendarDay.objects.count() == before


def test_only_operators_edit(regulator, institution_admin):
    for person in (regulator, institution_admin):
        with pytest.raises(AccessDenied):
            services.save_day(actor=person, day=D(2026, 3, 10), kind="holiday", name="x")
        with pytest.raises(AccessDenied):
            services.set_time_limit(actor=person, step="accept", institution_type="banking", working_days=3)
    assert selectors.is_working_day(D(2026, 3, 10))


def test_time_limit_change_is_audited_and_used(operator_user):
    services.set_time_limit(actor=operator_user, step="accept", institution_type="insurance", working_days=3)
    assert selectors.time_limit_days(step="accept", institution_type="insurance") == 3
    assert selectors.time_limit_days(step="accept", institution_type="banking") == 2
    event = audit_events().get(event_type="workdays.time_limit.changed")
    assert event.details["before"] == 2 and event.details["after"] == 3
    with pytest.raises(ValidationFailed):
        services.set_time_limit(
            actor=operator_user, step="accept", institution_type="insurance", working_days=0
        )
    with pytest.raises(ValidationFailed):
        services.set_time_limit(
            actor=operator_user, step="lunch", institution_type="insurance", working_days=2
        )
    assert TimeLimit.objects.get().working_days == 3


def test_seed_year_keeps_operator_edits_and_refuses_unknown_years(operator_user):
    services.save_day(actor=operator_user, day=D(2026, 2, 14), kind="workday", name="", note="edited")
    assert services.seed_year(year=2026) == 0
    assert CalendarDay.objects.get(day=D(2026, 2, 14)).note == "edited"
    CalendarDay.objects.filter(day__year=2027).delete()
    assert services.seed_year(year=2027, actor=operator_user) == 13
    with pytest.raises(ValidationFailed) as caught:
        services.seed_year(year=2035)
    assert caught.value.code == "calendar_year_unavailable"


def test_pages(client, login, operator_user, regulator, loan_officer):
    login(operator_user)
    page = client.get(reverse("workdays:year", args=[2027])).content.decode()
    assert 'id="provisional-warning"' in page
    assert client.get(reverse("workdays:time_limits")).status_code == 200
    response = client.post(
        reverse("workdays:day_add"), {"day": "2026-03-10", "kind": "holiday", "name": "特别假日", "note": "n"}
    )
    assert response.status_code == 302
    assert not selectors.is_working_day(D(2026, 3, 10))
    response = client.post(reverse("workdays:day_add"), {"day": "2026-03-11", "kind": "workday"})
    assert response.status_code == 200 and CalendarDay.objects.filter(day=D(2026, 3, 11)).count() == 0
    client.post(reverse("workdays:day_delete", args=["2026-03-10"]))
    assert selectors.is_working_day(D(2026, 3, 10))
    client.post(
        reverse("workdays:time_limit_save"),
        {"step": "decide", "institution_type": "banking", "working_days": "8"},
    )
    assert selectors.time_limit_days(step="decide", institution_type="banking") == 8
    client.post(
        reverse("workdays:time_limit_save"),
        {"step": "decide", "institution_type": "banking", "working_days": "-1"},
    )
    assert selectors.time_limit_days(step="decide", institution_type="banking") == 8

    assert client.post(reverse("workdays:seed_year", args=[2035])).status_code == 302  # no data: a message
    assert not CalendarDay.objects.filter(day__year=2035).exists()
    client.post(reverse("workdays:seed_year", args=[2028]))
    # 中秋 falls on 3 October 2028, already a National Day holiday: 12 distinct dates
    assert CalendarDay.objects.filter(day__year=2028, source=DaySource.PROVISIONAL).count() == 12

    login(regulator)
    assert client.get(reverse("workdays:year", args=[2026])).status_code == 200
    assert client.post(reverse("workdays:day_delete", args=["2026-02-14"])).status_code == 403
    assert (
        client.post(
            reverse("workdays:time_limit_save"),
            {"step": "decide", "institution_type": "banking", "working_days": "1"},
        ).status_code
        == 403
    )
    login(loan_officer)
    assert client.get(reverse("workdays:year", args=[2026])).status_code == 403


def test_api_calendar(client, login, loan_officer):
    login(loan_officer)
    body = client.get("/api/v1/workdays/calendar?year=2026").json()
    assert any(d["day"] == "2026-02-14" and d["kind"] == "workday" for d in body)
    assert client.get("/api/v1/workdays/calendar?year=1900").status_code == 422
    limits = client.get("/api/v1/workdays/time-limits").json()
    assert {"step": "accept", "institution_type": "banking", "working_days": 2} in limits


def test_demo_is_idempotent(operator_user):
    import io

    from dfsp.accounts import demo as accounts_demo
    from dfsp.workdays import demo

    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (CalendarDay.objects.count(), TimeLimit.objects.count())
    demo.seed(io.StringIO())
    assert (CalendarDay.objects.count(), TimeLimit.objects.count()) == counts
    assert selectors.time_limit_days(step="decide", institution_type="local_finance") == 7
    assert CalendarDay.objects.get(day=D(2026, 2, 28)).note
