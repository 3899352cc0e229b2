from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dfsp.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from dfsp.core import checks, labels  # noqa: F401  (checks registers the deploy checks)

        labels.register("job", {"core.purge_idempotency_records": _("Purge expired idempotency records")})
