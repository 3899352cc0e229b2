"""Navigation entries of the accounts module (registered once the app registry is ready)."""

from django.utils.translation import gettext_lazy as _

from dfsp.accounts.labels import register_labels
from dfsp.accounts.roles import Role
from dfsp.core.navigation import NavEntry, register

register(
    NavEntry(
        key="accounts.users",
        label=_("Users"),
        url_name="accounts:users",
        roles=frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
        order=80,
        icon="people",
    )
)
register(
    NavEntry(
        key="accounts.organisations",
        label=_("Organisations"),
        url_name="accounts:organisations",
        roles=frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
        order=81,
        icon="buildings",
    )
)
register(
    NavEntry(
        key="accounts.lockouts",
        label=_("Login lockouts"),
        url_name="accounts:lockouts",
        roles=frozenset({Role.SECURITY_ADMIN}),
        order=82,
        icon="shield-lock",
    )
)
register(
    NavEntry(
        key="core.system_status",
        label=_("System status"),
        url_name="system_status",
        roles=frozenset({Role.SYSTEM_ADMIN}),
        order=85,
        icon="activity",
    )
)
register(
    NavEntry(
        key="accounts.api_keys",
        label=_("API keys"),
        url_name="accounts:api_keys:list",
        roles=frozenset({Role.INSTITUTION_ADMIN, Role.INSTITUTION_USER}),
        order=70,
        icon="key",
    )
)

register_labels()
