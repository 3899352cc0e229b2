import pytest

from dfsp.enterprises.tests.helpers import CapturingSms


@pytest.fixture(autouse=True)
def _private_files_and_sms(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.NOTIFICATION_CHANNELS = {"sms": "dfsp.enterprises.tests.helpers.CapturingSms"}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    CapturingSms.sent.clear()
