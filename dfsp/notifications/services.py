"""Writes for messages: notify users in-app and, optionally, by SMS or e-mail after commit."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from dfsp.core.masking import mask_mobile
from dfsp.notifications.models import Message, OutboundDelivery


def notify(
    *,
    recipients: Iterable,
    category: str,
    title: str,
    body: str = "",
    link: str = "",
    sms: bool = False,
    email: bool = False,
) -> list[Message]:
    """Create one in-app message per recipient; SMS goes out through Celery after the commit.

    Call inside the business transaction: if it rolls back, no message exists and nothing is sent.
    """
    users = [user for user in recipients if user is not None]
    messages = Message.objects.bulk_create(
        [
            Message(recipient=user, category=category, title=str(title)[:200], body=str(body), link=link)
            for user in users
        ]
    )
    text = f"{title} {body}".strip()
    for user in users:
        if sms and user.mobile:
            send_sms(mobile=user.mobile, text=text, category=category, user=user)
        if email and user.email:
            _queue(
                "email",
                address=user.email,
                masked=mask_email(user.email),
                text=text,
                category=category,
                user=user,
            )
    return messages


def send_sms(*, mobile: str, text: str, category: str, user=None) -> OutboundDelivery:
    """Queue one SMS; the Celery task hands it to the configured backend after commit."""
    return _queue("sms", address=mobile, masked=mask_mobile(mobile), text=text, category=category, user=user)


def _queue(
    channel: str, *, address: str, masked: str, text: str, category: str, user=None
) -> OutboundDelivery:
    delivery = OutboundDelivery.objects.create(
        channel=channel, recipient_user=user, address_masked=masked, category=category
    )

    def enqueue():
        from dfsp.notifications.tasks import deliver

        deliver.delay(delivery.pk, address, str(text))

    transaction.on_commit(enqueue)
    return delivery


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mark_read(*, user, message_ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages read (all unread ones when no ids are given)."""
    queryset = Message.objects.filter(recipient=user, read_at__isnull=True)
    if message_ids is not None:
        queryset = queryset.filter(pk__in=list(message_ids))
    return queryset.update(read_at=timezone.now())


def mark_unread(*, user, message_ids: Iterable[int]) -> int:
    return Message.objects.filter(recipient=user, pk__in=list(message_ids)).update(read_at=None)
