"""Deployment checks of our own, run by `manage.py check --deploy` next to Django's."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_no_demo_or_test_mode(app_configs=None, **kwargs):
    """Demo mode prints TOTP secrets; test mode lifts the audit triggers and weakens hashing."""
    errors = []
    if getattr(settings, "DEMO_MODE", False):
        errors.append(
            Error(
                "DFSP_DEMO is on: demo TOTP secrets are printed and `demo_totp` works.",
                hint="Unset DFSP_DEMO in production.",
                id="dfsp.E001",
            )
        )
    if getattr(settings, "TEST_MODE", False):
        errors.append(
            Error(
                "DFSP_TEST_MODE is on: the test suite's audit-trigger lift and fast password hasher are enabled.",
                hint="Unset DFSP_TEST_MODE in production.",
                id="dfsp.E002",
            )
        )
    return errors
