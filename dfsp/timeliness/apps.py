from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelinessConfig(AppConfig):
    name = "dfsp.timeliness"
    label = "timeliness"
    verbose_name = _("Timeliness")

    def ready(self) -> None:
        from dfsp.accounts.roles import INSTITUTION_ROLES, Role
        from dfsp.core import labels
        from dfsp.core.navigation import PUBLIC, NavEntry, register

        labels.register(
            "event",
            {
                "timeliness.application.late": _("Application flagged as late"),
                "timeliness.urge.sent": _("Institution urged (催办)"),
                "timeliness.urge.replied": _("Urge answered by the institution"),
                "timeliness.escalation.closed": _("Supervision item (督办) closed"),
            },
        )
        labels.register("job", {"timeliness.flag_late_applications": _("Flag late applications")})
        register(
            NavEntry(
                key="timeliness.late",
                label=_("Late applications"),
                url_name="timeliness:late",
                roles=frozenset({Role.REGULATOR, Role.OPERATOR}),
                order=46,
                icon="alarm",
            )
        )
        register(
            NavEntry(
                key="timeliness.urges",
                label=_("Urges (催办)"),
                url_name="timeliness:urges",
                roles=frozenset(INSTITUTION_ROLES | {Role.REGULATOR, Role.OPERATOR}),
                order=47,
                icon="bell",
            )
        )
        register(
            NavEntry(
                key="timeliness.supervision",
                label=_("Supervision list (督办)"),
                url_name="timeliness:supervision",
                roles=frozenset({Role.REGULATOR, Role.OPERATOR}),
                order=47,
                icon="flag",
            )
        )
        register(
            NavEntry(
                key="timeliness.scorecard",
                label=_("Timeliness scorecard"),
                url_name="timeliness:scorecard",
                roles=PUBLIC,
                order=20,
                icon="speedometer2",
            )
        )
