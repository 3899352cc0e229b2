from django.conf import settings

from dfsp.core import navigation


def platform(request):
    user = getattr(request, "user", None)
    entries = navigation.entries_for(user) if user is not None else []
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_entries": entries,
        # The public portal stays in the bar; a user's own modules go in the workbench menu.
        "nav_public": [entry for entry in entries if entry.is_public],
        "nav_workbench": [entry for entry in entries if not entry.is_public],
    }
