from django.db.models import QuerySet

from dfsp.notifications.models import Message


def list_messages_for(user, *, unread_only: bool = False) -> QuerySet[Message]:
    queryset = Message.objects.filter(recipient=user)
    return queryset.filter(read_at__isnull=True) if unread_only else queryset


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
