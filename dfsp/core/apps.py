from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dfsp.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from dfsp.core import labels

        labels.register("job", {"core.purge_idempotency_records": _("Purge expired idempotency records")})
