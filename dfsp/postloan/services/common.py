"""Shared steps of post-loan services: the event row, the audit row, messages after the commit."""

from django.db import transaction

from dfsp.audit.services import record_event
from dfsp.postloan.models import CaseEvent


def audit(event_type: str, who, obj, details: dict | None = None, *, outcome: str = "success") -> None:
    record_event(
        event_type=event_type,
        actor=who.user,
        organisation=who.organisation,
        role="api_key" if who.api_key_prefix else "",
        object_type=f"postloan.{type(obj).__name__}",
        object_id=str(obj.pk),
        outcome=outcome,
        details={**({"api_key": who.api_key_prefix} if who.api_key_prefix else {}), **(details or {})},
    )


def case_event(kind: str, obj, loan_id: int, who, action: str, *, from_status="", to_status="", comment=""):
    CaseEvent.objects.create(
        kind=kind,
        object_id=obj.pk,
        loan_id_ref=loan_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=who.user,
        organisation=who.organisation,
        comment=comment,
    )


def notify_later(users, *, category: str, title: str, body: str = "", link: str = "") -> None:
    """Messages go out only once the transaction has committed."""
    users = list(users)
    if not users:
        return

    def send():
        from dfsp.notifications.services import notify

        notify(recipients=users, category=category, title=str(title), body=str(body), link=link)

    transaction.on_commit(send)


def clean_text(value, limit: int = 2000) -> str:
    return str(value or "").strip()[:limit]
