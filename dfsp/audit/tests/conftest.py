"""Personas and helpers for the audit tests.

Users and organisations are made with the ORM through the app registry: the audit app depends
only on core (import-linter), its tests included.
"""

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from dfsp.audit import guards
from dfsp.core import request_context


@pytest.fixture
def operator_org(db):
    Organisation = apps.get_model("accounts", "Organisation")
    return Organisation.objects.create(kind="operator", name="大庆市数字金融服务中心", region_code="230602")


@pytest.fixture
def make_user(operator_org):
    Membership = apps.get_model("accounts", "Membership")

    def make(username: str, role: str | None = None, organisation=None):
        user = get_user_model().objects.create_user(username=username, password="Unused-Passw0rd!")
        if role:
            Membership.objects.create(user=user, organisation=organisation or operator_org, role=role)
        return user

    return make


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", "audit_admin")


@pytest.fixture
def sysadmin(make_user):
    return make_user("sysadmin", "system_admin")


@pytest.fixture
def secadmin(make_user):
    return make_user("secadmin", "security_admin")


@pytest.fixture
def operator(make_user):
    return make_user("operator", "operator")


@pytest.fixture
def login_as(login):
    """Log a user in past the session-security middleware (password age, TOTP, tracked session).

    Delegates to the project-wide ``login`` fixture so that there is one way tests log in.
    """
    return login


@pytest.fixture
def in_request():
    """Run code as if inside a request with the given id, IP and user agent."""

    @contextmanager
    def activate(request_id="req-0001-abcdef", ip="203.0.113.7", user_agent="pytest-browser/1.0"):
        token = request_context.activate(
            request_context.RequestContext(request_id=request_id, ip=ip, user_agent=user_agent, path="/x/")
        )
        try:
            yield
        finally:
            request_context.deactivate(token)

    return activate


@pytest.fixture
def without_guards():
    """Lift the append-only triggers, as an attacker with table-owner rights could.

    The triggers come back at the end of the block; the test transaction is rolled back anyway.
    """

    @contextmanager
    def lifted():
        with guards.lifted(connection):
            yield connection

    return lifted
