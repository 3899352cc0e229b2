from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dfsp.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from dfsp.audit import receivers  # noqa: F401  (connects the access_denied receiver)
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        labels.register(
            "event",
            {
                "access.denied": _("Access denied"),
                "audit.chain.verify": _("Audit chain verified"),
                "audit.export": _("Audit records exported"),
                "audit.retention.purge": _("Expired audit records purged"),
            },
        )
        labels.register(
            "job",
            {
                "audit.purge_expired_events": _("Purge expired audit records"),
                "audit.verify_chain": _("Verify the audit chain"),
            },
        )

        register(
            NavEntry(
                key="audit",
                label=_("Audit trail"),
                url_name="audit:events",
                roles=frozenset({"audit_admin"}),
                order=90,
                icon="journal-check",
            )
        )
