from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatahubConfig(AppConfig):
    name = "dfsp.datahub"
    label = "datahub"
    verbose_name = _("Financial big-data platform")
