"""Read the audit trail the way the audit administrator does (the only reader, 三权分立)."""

from dfsp.accounts.tests.factories import member
from dfsp.audit.selectors import EventFilters, search_events


def audited(*, object_id="", event_type="", object_type=""):
    from django.contrib.auth import get_user_model

    auditor = get_user_model().objects.filter(username="trail_auditor").first() or member(
        "audit_admin", username="trail_auditor"
    )
    filters = EventFilters(object_id=str(object_id), event_type=event_type, object_type=object_type)
    return list(search_events(actor=auditor, filters=filters))
