from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "dfsp.credit"
    label = "credit"
    verbose_name = _("Decision models")

    def ready(self) -> None:
        from dfsp.accounts.roles import Role
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        labels.register(
            "event",
            {
                "credit.assessment.created": _("Credit assessment scored"),
                "credit.score.recomputed": _("Credit score recomputed"),
                "credit.version.created": _("Model version created"),
                "credit.version.edited": _("Model version parameters edited"),
                "credit.version.fitted": _("Scorecard fitted"),
                "credit.version.activated": _("Model version activated"),
                "credit.version.retired": _("Model version retired"),
            },
        )
        register(
            NavEntry(
                key="credit.self_assessment",
                label=_("Financing pre-assessment"),
                url_name="credit:self_assessment",
                roles=frozenset({Role.ENTERPRISE_ADMIN}),
                order=33,
                icon="speedometer2",
            )
        )
        register(
            NavEntry(
                key="credit.models",
                label=_("Decision models"),
                url_name="credit:models",
                roles=frozenset({Role.OPERATOR, Role.REGULATOR, Role.INSTITUTION_ADMIN}),
                order=45,
                icon="diagram-3",
            )
        )
        register(
            NavEntry(
                key="credit.scores",
                label=_("Credit scores"),
                url_name="credit:scores",
                roles=frozenset(
                    {Role.OPERATOR, Role.REGULATOR, Role.INSTITUTION_ADMIN, Role.INSTITUTION_USER}
                ),
                order=46,
                icon="clipboard-data",
            )
        )
