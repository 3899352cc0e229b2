from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dfsp.notifications"
    label = "notifications"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from dfsp.core.navigation import NavEntry, register

        register(
            NavEntry(
                key="notifications.inbox",
                label=_("Messages"),
                url_name="notifications:inbox",
                roles=None,
                order=95,
                icon="envelope",
            )
        )
