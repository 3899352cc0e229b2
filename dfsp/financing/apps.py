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
                "financing.application.submitted": _("Loan application submitted"),
                "financing.application.accepted": _("Loan application accepted"),
                "financing.application.approved": _("Loan application approved"),
                "financing.application.rejected": _("Loan application rejected"),
                "financing.application.returned": _("Loan application returned for more information"),
                "financing.application.resubmitted": _("Loan application resubmitted"),
                "financing.application.withdrawn": _("Loan application withdrawn"),
                "financing.application.disbursed": _("Loan application disbursed"),
                "financing.application.assigned": _("Loan application assigned to an officer"),
                "financing.application.noted": _("Internal note added to a loan application"),
                "financing.application.proposed": _("Decision proposed on a loan application"),
                "financing.application.proposal_declined": _("Proposed decision sent back"),
                "financing.application.invited": _("Enterprise invited to apply"),
                "financing.application.material_viewed": _("Application material opened"),
                "financing.application.denied": _("Access to a loan application refused"),
                "financing.review_settings.changed": _("Application review settings changed"),
                "financing.rejection_reason.saved": _("Rejection reason saved"),
            },
        )
        labels.register("job", {"financing.expire_demands": _("Expire financing demands")})
        labels.register(
            "application_action",
            {
                "assigned": _("Loan officer assigned"),
                "proposed": _("Decision proposed for the manager"),
                "proposal_declined": _("Proposal declined by the manager"),
            },
        )
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
                key="financing.my_applications",
                label=_("My loan applications"),
                url_name="financing:my_applications",
                roles=frozenset(ENTERPRISE_ROLES),
                order=33,
                icon="file-earmark-text",
            )
        )
        register(
            NavEntry(
                key="financing.desk",
                label=_("Application desk"),
                url_name="financing:desk",
                roles=frozenset(INSTITUTION_ROLES),
                order=33,
                icon="inboxes",
            )
        )
        register(
            NavEntry(
                key="financing.statistics",
                label=_("Application statistics"),
                url_name="financing:statistics",
                roles=frozenset(INSTITUTION_ROLES | {Role.OPERATOR, Role.REGULATOR}),
                order=34,
                icon="bar-chart",
            )
        )
        register(
            NavEntry(
                key="financing.rejection_reasons",
                label=_("Rejection reasons"),
                url_name="financing:rejection_reasons",
                roles=frozenset({Role.OPERATOR}),
                order=42,
                icon="list-check",
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
        from dfsp.financing import consent_purposes

        # Consent asks this app whether a grant's purpose reference is real (application, demand).
        consent_purposes.register()
