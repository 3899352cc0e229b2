"""The demo: the calendar and limits, and at ICBC one answered urge and one 督办 item; idempotent."""

import io
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model

from dfsp.accounts.selectors import organisation_of
from dfsp.timeliness.models import Escalation, Urge

pytestmark = pytest.mark.django_db

DEMO_APPS = ["accounts", "consent", "enterprises", "institutions", "financing", "workdays", "timeliness"]


def seed_all():
    out = io.StringIO()
    for app in DEMO_APPS:
        import_module(f"dfsp.{app}.demo").seed(out)
    return out.getvalue()


def test_demo_urges_at_icbc_and_idempotence(settings):
    settings.NOTIFICATION_CHANNELS = {"sms": "dfsp.enterprises.tests.helpers.CapturingSms"}
    seed_all()
    counts = (Urge.objects.count(), Escalation.objects.count())
    seed_all()
    assert (Urge.objects.count(), Escalation.objects.count()) == counts
    icbc = organisation_of(get_user_model().objects.get(username="bank_officer"))
    urges = Urge.objects.filter(institution=icbc)
    answered = urges.exclude(replied_at=None)
    assert answered.count() == 1 and answered.get().replied_by.username == "bank_officer"
    item = Escalation.objects.get()
    assert item.status == "open" and item.institution == icbc
    assert sorted(urges.filter(application=item.application).values_list("level", flat=True)) == [1, 2, 3]
