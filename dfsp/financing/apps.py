from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "dfsp.financing"
    label = "financing"
    verbose_name = _("Financing")

    def ready(self) -> None:
        from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        labels.register(
            "event",
            {
                "financing.demand.published": _("Financing demand published"),
                "financing.demand.approved": _("Financing demand approved"),
                "financing.demand.rejected": _("Financing demand rejected"),
                "financing.demand.withdrawn": _("Financing demand withdrawn"),
                "financing.demand.taken": _("Financing demand taken"),
                "financing.demand.expired": _("Financing demand expired"),
                "financing.demand.contact_revealed": _("Demand contact shown to an institution"),
                "financing.demand.favourited": _("Financing demand saved to favourites"),
                "financing.demand.denied": _("Access to a financing demand refused"),
            },
        )
        labels.register("job", {"financing.expire_demands": _("Expire financing demands")})
        register(
            NavEntry(
                key="financing.my_demands",
                label=_("My financing demands"),
                url_name="financing:my_demands",
                roles=frozenset(ENTERPRISE_ROLES),
                order=31,
                icon="cash-coin",
            )
        )
        register(
            NavEntry(
                key="financing.market",
                label=_("Financing demands"),
                url_name="financing:market",
                roles=frozenset(INSTITUTION_ROLES),
                order=32,
                icon="cash-stack",
            )
        )
        register(
            NavEntry(
                key="financing.review",
                label=_("Demand review"),
                url_name="financing:review_queue",
                roles=frozenset({Role.OPERATOR}),
                order=41,
                icon="clipboard-check",
            )
        )
