from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatahubConfig(AppConfig):
    name = "dfsp.datahub"
    label = "datahub"
    verbose_name = _("Financial big-data platform")

    def ready(self) -> None:
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        readers = frozenset({"operator", "regulator"})
        register(
            NavEntry(
                key="datahub.sources",
                label=_("Data sources"),
                url_name="datahub:sources",
                roles=readers,
                order=40,
                icon="database",
            )
        )
        register(
            NavEntry(
                key="datahub.quality",
                label=_("Data quality"),
                url_name="datahub:quality",
                roles=readers,
                order=41,
                icon="clipboard-check",
            )
        )
        register(
            NavEntry(
                key="datahub.standards",
                label=_("Data standards"),
                url_name="datahub:elements",
                roles=readers,
                order=42,
                icon="journal-text",
            )
        )
        register(
            NavEntry(
                key="datahub.profiles",
                label=_("Credit profiles"),
                url_name="datahub:profiles",
                roles=readers,
                order=43,
                icon="person-vcard",
            )
        )
        labels.register(
            "event",
            {
                "datahub.standards.installed": _("Data standards installed"),
                "datahub.masking_policy.activated": _("Masking policy activated"),
                "datahub.sensitive.revealed": _("Sensitive value revealed"),
                "datahub.source.created": _("Data source created"),
                "datahub.source.status_changed": _("Data source status changed"),
                "datahub.mapping.set": _("Field mapping set"),
                "datahub.batch.submitted": _("Sync run submitted"),
                "datahub.batch.finished": _("Sync run finished"),
                "datahub.issue.feedback_sent": _("Quality issue sent back to source"),
                "datahub.issue.resubmitted": _("Quality issue correction resubmitted"),
                "datahub.issue.closed": _("Quality issue closed"),
                "datahub.issue.waived": _("Quality issue waived"),
            },
        )
        labels.register("job", {"datahub.queue_due_pulls": _("Scheduled source pulls")})
