from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "dfsp.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from dfsp.accounts.roles import Role
        from dfsp.core import labels
        from dfsp.core.navigation import PUBLIC, NavEntry, register

        labels.register(
            "event",
            {
                "enterprises.registration_code.sent": _("Registration code sent"),
                "enterprises.profile.created": _("Enterprise profile created"),
                "enterprises.profile.updated": _("Enterprise profile updated"),
                "enterprises.certification.submitted": _("Certification submitted"),
                "enterprises.certification.approved": _("Certification approved"),
                "enterprises.certification.rejected": _("Certification rejected"),
                "enterprises.certification.returned": _("Certification returned for more material"),
                "enterprises.certification.terminated": _("Certification terminated"),
                "enterprises.certification.re_review_required": _("Certification flagged for re-review"),
                "enterprises.material.viewed": _("Certification material viewed"),
                "enterprises.material.denied": _("Certification material access refused"),
                "enterprises.blacklist.created": _("Blacklist entry created"),
                "enterprises.blacklist.updated": _("Blacklist entry updated"),
                "enterprises.blacklist.ended": _("Blacklist entry ended"),
                "enterprises.blacklist.imported": _("Blacklist imported"),
            },
        )
        register(
            NavEntry(
                key="enterprises.register",
                label=_("Enterprise registration"),
                url_name="enterprises:register",
                roles=PUBLIC,
                anonymous_only=True,
                order=20,
                icon="building-add",
            )
        )
        register(
            NavEntry(
                key="enterprises.account",
                label=_("My enterprise"),
                url_name="enterprises:account",
                roles=frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER}),
                order=30,
                icon="building",
            )
        )
        register(
            NavEntry(
                key="enterprises.review",
                label=_("Certification review"),
                url_name="enterprises:review_queue",
                roles=frozenset({Role.OPERATOR}),
                order=40,
                icon="patch-check",
            )
        )
        register(
            NavEntry(
                key="enterprises.blacklist",
                label=_("Blacklist"),
                url_name="enterprises:blacklist",
                roles=frozenset({Role.OPERATOR}),
                order=42,
                icon="slash-circle",
            )
        )
