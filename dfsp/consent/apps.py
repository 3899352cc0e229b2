from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CALL_LOG_TABLE = "consent_calllog"


class ConsentConfig(AppConfig):
    name = "dfsp.consent"
    label = "consent"
    verbose_name = _("Precise authorisation")

    def ready(self) -> None:
        from dfsp.audit import guards
        from dfsp.consent import gate
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register
        from dfsp.datahub import access

        # Supervisors' reads on datahub's pages go into the same call log (datahub fails closed
        # without this logger).
        access.register_supervisor_read_logger(gate.log_supervisor_read)

        # The call log's append-only triggers are lifted by the same test-mode flush as audit's.
        guards.register_append_only_table(CALL_LOG_TABLE)
        labels.register(
            "event",
            {
                "consent.scope.saved": _("Authorisation scope saved"),
                "consent.template.created": _("Consent text version created"),
                "consent.grant.signed": _("Data authorisation granted"),
                "consent.grant.withdrawn": _("Data authorisation withdrawn"),
                "consent.grant.expired": _("Data authorisation expired"),
                "consent.grant.ended": _("Data authorisation ended with its purpose"),
                "consent.request.created": _("Data authorisation requested"),
                "consent.request.declined": _("Data authorisation request declined"),
                "consent.signing_secret.issued": _("API signing secret issued"),
                "consent.calllog.export": _("Call log exported"),
            },
        )
        labels.register(
            "job",
            {
                "consent.expire_grants": _("Expire data authorisations"),
                "consent.purge_nonces": _("Purge API request nonces"),
            },
        )
        enterprise = frozenset({"enterprise_admin", "enterprise_user"})
        institution = frozenset({"institution_admin", "institution_user"})
        for entry in (
            NavEntry("consent.enterprise", _("Data authorisation"), "consent:enterprise", enterprise, 50, "shield-check"),
            NavEntry("consent.institution", _("Data authorisations"), "consent:institution", institution, 50, "shield-check"),
            NavEntry("consent.regulator", _("Data use audit"), "consent:regulator", frozenset({"regulator", "operator"}), 51, "eye"),
            NavEntry("consent.configure", _("Authorisation scopes"), "consent:scopes", frozenset({"operator"}), 52, "sliders"),
            NavEntry("consent.secrets", _("API signing secrets"), "consent:secrets", frozenset({"institution_admin"}), 53, "key"),
        ):  # fmt: skip
            register(entry)
