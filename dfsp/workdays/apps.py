from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "dfsp.workdays"
    label = "workdays"
    verbose_name = _("Working days")

    def ready(self) -> None:
        from dfsp.accounts.roles import Role
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        labels.register(
            "event",
            {
                "workdays.day.created": _("Calendar date added"),
                "workdays.day.changed": _("Calendar date changed"),
                "workdays.day.deleted": _("Calendar date deleted"),
                "workdays.year.seeded": _("Calendar year loaded"),
                "workdays.time_limit.changed": _("Time limit changed"),
            },
        )
        register(
            NavEntry(
                key="workdays.calendar",
                label=_("Working days and time limits"),
                url_name="workdays:home",
                roles=frozenset({Role.OPERATOR, Role.REGULATOR}),
                order=48,
                icon="calendar-week",
            )
        )
