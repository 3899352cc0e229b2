from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dfsp.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from dfsp.audit import receivers  # noqa: F401  (connects the access_denied receiver)
        from dfsp.core.navigation import NavEntry, register

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
