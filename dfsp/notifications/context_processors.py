from dfsp.notifications.selectors import unread_count


def messages_badge(request):
    user = getattr(request, "user", None)
    return {"unread_message_count": unread_count(user) if user is not None else 0}
