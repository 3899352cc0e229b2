from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostloanConfig(AppConfig):
    name = "dfsp.postloan"
    label = "postloan"
    verbose_name = _("Post-loan")

    def ready(self) -> None:
        from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        labels.register(
            "event",
            {
                "postloan.overdue.filed": _("Overdue report filed"),
                "postloan.overdue.updated": _("Overdue report updated"),
                "postloan.blacklist.proposed": _("Blacklist entry proposed"),
                "postloan.blacklist.approved": _("Blacklist proposal approved"),
                "postloan.blacklist.rejected": _("Blacklist proposal rejected"),
                "postloan.renewal.requested": _("Loan renewal requested"),
                "postloan.deferral.requested": _("Deferral requested"),
                "postloan.deferral.approved": _("Deferral approved"),
                "postloan.deferral.rejected": _("Deferral rejected"),
                "postloan.deferral.withdrawn": _("Deferral withdrawn"),
                "postloan.deferral.late": _("Deferral decision past its deadline"),
                "postloan.rating.created": _("Loan rated"),
                "postloan.statistics.exported": _("Lending statistics exported"),
                "postloan.scorecard.fitted": _("Scorecard fitted from platform history"),
            },
        )
        labels.register(
            "job",
            {
                "postloan.maturity_reminders": _("Remind borrowers before maturity"),
                "postloan.late_deferrals": _("Remind institutions of late deferral decisions"),
            },
        )
        parties = frozenset(ENTERPRISE_ROLES | INSTITUTION_ROLES)
        for entry in (
            NavEntry(key="postloan.loans", label=_("Post-loan"), url_name="postloan:loan_list", roles=parties,
                     order=36, icon="journal-check"),
            NavEntry(key="postloan.deferrals", label=_("Deferral requests"), url_name="postloan:deferral_list",
                     roles=parties, order=37, icon="calendar-plus"),
            NavEntry(key="postloan.overdue", label=_("Overdue reports"), url_name="postloan:report_list",
                     roles=frozenset(INSTITUTION_ROLES | {Role.OPERATOR, Role.REGULATOR}), order=38,
                     icon="exclamation-triangle"),
            NavEntry(key="postloan.proposals", label=_("Blacklist proposals"), url_name="postloan:proposal_list",
                     roles=frozenset({Role.OPERATOR}), order=44, icon="person-x"),
            NavEntry(key="postloan.statistics", label=_("Lending statistics"), url_name="postloan:statistics",
                     roles=frozenset({Role.REGULATOR, Role.OPERATOR}), order=61, icon="bar-chart"),
            NavEntry(key="postloan.fit", label=_("Fit from history"), url_name="postloan:fit_from_history",
                     roles=frozenset({Role.OPERATOR}), order=62, icon="graph-up"),
        ):  # fmt: skip
            register(entry)
        from dfsp.postloan import consent_purposes

        # Consent asks this app whether a grant's purpose reference is real: the post-loan purpose (a loan between the two).
        consent_purposes.register()
