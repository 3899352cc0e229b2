from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "dfsp.loans"
    label = "loans"
    verbose_name = _("Loans")

    def ready(self) -> None:
        from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        labels.register(
            "event",
            {
                "loans.loan.disbursed": _("Loan disbursed"),
                "loans.repayment.recorded": _("Loan repayment recorded"),
                "loans.schedule.regenerated": _("Repayment schedule re-generated"),
                "loans.overdue_job.ran": _("Overdue computation ran"),
            },
        )
        labels.register(
            "job",
            {
                "loans.overdue": _("Compute overdue loans and penalty interest"),
                "loans.due_reminders": _("Remind enterprises of instalments due"),
            },
        )
        register(
            NavEntry(
                key="loans.mine",
                label=_("My loans"),
                url_name="loans:mine",
                roles=frozenset(ENTERPRISE_ROLES),
                order=34,
                icon="bank",
            )
        )
        register(
            NavEntry(
                key="loans.list",
                label=_("Loans"),
                url_name="loans:list",
                roles=frozenset(INSTITUTION_ROLES | {Role.OPERATOR, Role.REGULATOR}),
                order=35,
                icon="bank",
            )
        )
