from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "dfsp.complaints"
    label = "complaints"
    verbose_name = _("Complaints and suggestions")

    def ready(self) -> None:
        from dfsp.core import labels
        from dfsp.core.navigation import PUBLIC, NavEntry, register

        labels.register(
            "event",
            {
                "complaints.filed": _("Complaint filed"),
                "complaints.accepted": _("Complaint accepted"),
                "complaints.assigned": _("Complaint assigned"),
                "complaints.replied": _("Complaint replied"),
                "complaints.closed": _("Complaint closed"),
                "complaints.escalated": _("Late complaint escalated"),
                "complaints.attachment.read": _("Complaint attachment opened"),
            },
        )
        labels.register("job", {"complaints.escalate_overdue": _("Remind and escalate late complaints")})
        register(
            NavEntry(
                key="complaints",
                label=_("Complaints and suggestions"),
                url_name="complaints:file",
                roles=PUBLIC,
                order=16,
                icon="megaphone",
            )
        )
        register(
            NavEntry(
                key="complaints_manage",
                label=_("Complaint handling"),
                url_name="complaints:manage",
                roles=frozenset({"operator"}),
                order=82,
                icon="inbox",
            )
        )
