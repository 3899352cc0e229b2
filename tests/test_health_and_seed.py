import pytest
from django.core.management import call_command
from django.test import override_settings

from dfsp.accounts.models import Membership, Organisation, User
from dfsp.core.identifiers import is_valid_uscc
from dfsp.core.regions import HEILONGJIANG_DIVISIONS

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_says_degraded_when_the_cache_fails(client):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "fail"


def test_healthz_says_degraded_when_the_broker_is_unreachable(client, monkeypatch):
    from kombu import Connection

    from config.celery import app

    # A real connection attempt to a port where nothing listens.
    monkeypatch.setattr(app, "connection_for_write", lambda *a, **k: Connection("redis://127.0.0.1:1/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "fail"}


def test_healthz_says_degraded_when_the_database_fails(client, monkeypatch):
    from django.db import OperationalError, connection

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "fail"
    assert response.json()["checks"]["cache"] == "ok"


def test_healthz_is_public_but_reveals_no_configuration(client):
    body = client.get("/healthz").json()
    assert set(body) == {"status", "mode", "checks"}


def test_seed_demo_is_idempotent_and_realistic():
    call_command("seed_demo")
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    for organisation in Organisation.objects.all():
        assert organisation.region_code in HEILONGJIANG_DIVISIONS
        if organisation.uscc:
            assert is_valid_uscc(organisation.uscc), organisation.uscc
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {
        "enterprise_admin",
        "enterprise_user",
        "institution_user",
        "institution_admin",
        "operator",
        "content_editor",
        "content_reviewer",
        "regulator",
        "system_admin",
        "security_admin",
        "audit_admin",
    } <= roles
    assert any(o.uscc[0].isalpha() for o in Organisation.objects.exclude(uscc=""))
    assert all(
        u.must_change_password
        for u in User.objects.filter(memberships__role__in=["system_admin", "security_admin", "audit_admin"])
    )


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    # Logs of what ran may grow (the audit trail; the matching demo's incremental run, which
    # records a run row and writes no match when nothing changed); no data row may.
    run_logs = {"matching.MatchRun"}
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label != "audit" and not model._meta.proxy and model._meta.label not in run_logs
    }


def test_seed_demo_a_second_time_changes_no_row_anywhere():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("seed_demo")
    before = _row_counts()
    credentials = sorted(User.objects.values_list("username", "password", "must_change_password"))
    devices = sorted(TOTPDevice.objects.values_list("user__username", "key"))
    call_command("seed_demo")
    after = _row_counts()
    assert {label: (before[label], after[label]) for label in before if before[label] != after[label]} == {}
    assert sorted(User.objects.values_list("username", "password", "must_change_password")) == credentials
    assert sorted(TOTPDevice.objects.values_list("user__username", "key")) == devices


def test_seed_demo_if_empty_does_nothing_on_a_populated_database():
    from dfsp.accounts.tests.factories import UserFactory

    UserFactory(username="first_real_user")
    call_command("seed_demo", if_empty=True)
    assert not User.objects.filter(username="operator").exists()
    assert not Organisation.objects.exists()


def test_demo_totp_prints_a_code_only_in_demo_mode(settings, capsys):
    from django.core.management.base import CommandError

    call_command("seed_demo")
    capsys.readouterr()
    call_command("demo_totp", "operator")
    assert capsys.readouterr().out.strip().isdigit()
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("demo_totp", "operator")
