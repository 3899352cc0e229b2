from django.conf import settings

from dfsp.core import navigation


def platform(request):
    user = getattr(request, "user", None)
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_entries": navigation.entries_for(user) if user is not None else [],
    }
