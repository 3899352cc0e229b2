"""Reading the trail: only the audit administrator, with filters on indexed columns."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.test import RequestFactory

from dfsp.audit import selectors
from dfsp.audit.models import AuditEvent
from dfsp.audit.selectors import EventFilters
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.core.signals import access_denied

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "operator"])
def test_only_the_audit_administrator_may_read_the_trail(persona, request):
    actor = request.getfixturevalue(persona)
    record_event(event_type="x.y")

    with pytest.raises(AccessDenied):
        selectors.search_events(actor=actor, filters=EventFilters())
    with pytest.raises(AccessDenied):
        selectors.get_event(actor=actor, seq=1)
    with pytest.raises(AccessDenied):
        selectors.verify_chain_for(actor=actor)


def test_anonymous_readers_are_refused():
    with pytest.raises(AccessDenied):
        selectors.search_events(actor=None)


def test_get_event_of_an_unknown_seq_is_not_found(auditor):
    with pytest.raises(NotFound):
        selectors.get_event(actor=auditor, seq=999)


def test_business_dates_are_beijing_dates(auditor):
    # 23:30 in Beijing on 1 March is 15:30 UTC the same day; 00:30 on 2 March is 16:30 UTC on 1 March.
    with time_machine.travel(datetime(2024, 3, 1, 23, 30, tzinfo=SHANGHAI), tick=False):
        late = record_event(event_type="day.one")
    with time_machine.travel(datetime(2024, 3, 2, 0, 30, tzinfo=SHANGHAI), tick=False):
        early = record_event(event_type="day.two")

    first_day = selectors.search_events(actor=auditor, filters=EventFilters(date_to=date(2024, 3, 1)))
    second_day = selectors.search_events(actor=auditor, filters=EventFilters(date_from=date(2024, 3, 2)))

    assert list(first_day) == [late]
    assert list(second_day) == [early]


def test_filters_narrow_by_each_indexed_field(auditor, operator, in_request):
    Organisation = apps.get_model("accounts", "Organisation")
    bureau = Organisation.objects.create(kind="government", name="大庆市地方金融管理局", region_code="230600")
    with in_request(request_id="req-target-0001"):
        target = record_event(
            event_type="auth.login.failure",
            actor=operator,
            organisation=bureau,
            outcome="failure",
            object_type="login",
            object_id="operator",
        )
    record_event(event_type="auth.login.success", actor=auditor)
    record_event(event_type="accounts.user.created", actor=auditor, object_type="user", object_id="9")

    def search(**filters):
        return list(selectors.search_events(actor=auditor, filters=EventFilters(**filters)))

    assert [e.event_type for e in search(event_type="auth.")] == ["auth.login.success", "auth.login.failure"]
    assert search(actor_username="operator") == [target]
    assert search(organisation=str(bureau.pk)) == [target]
    assert search(organisation="大庆市地方") == [target]
    assert search(outcome="failure") == [target]
    assert search(object_type="login", object_id="operator") == [target]
    assert search(request_id="req-target-0001") == [target]
    assert len(search()) == 3


def test_results_come_newest_first(auditor):
    for n in range(3):
        record_event(event_type=f"e.{n}")
    assert [e.seq for e in selectors.search_events(actor=auditor)] == [3, 2, 1]


def test_a_refused_request_is_audited_through_the_access_denied_signal(operator):
    request = RequestFactory().get("/audit/")
    request.user = operator

    access_denied.send(sender=None, request=request, reason="role")

    event = AuditEvent.objects.get(event_type="access.denied")
    assert event.outcome == "denied"
    assert event.actor_username == "operator"
    assert event.details == {"path": "/audit/", "method": "GET", "reason": "role"}
