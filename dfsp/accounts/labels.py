"""Labels of the codes the accounts app emits (roles, audit events, jobs)."""

from django.utils.translation import gettext_lazy as _

from dfsp.accounts.roles import Role
from dfsp.core import labels

EVENT_LABELS = {
    "auth.login.success": _("Login succeeded"),
    "auth.login.failure": _("Login failed"),
    "auth.lockout": _("Login locked out"),
    "auth.logout": _("Logged out"),
    "auth.password.changed": _("Password changed"),
    "auth.otp.enrolled": _("Authenticator enrolled"),
    "auth.otp.reset": _("Second factor reset"),
    "auth.lockout.cleared": _("Lockout cleared"),
    "accounts.organisation.created": _("Organisation created"),
    "accounts.user.created": _("Account created"),
    "accounts.user.disabled": _("Account disabled"),
    "accounts.user.disabled_dormant": _("Dormant account disabled"),
    "accounts.user.enabled": _("Account enabled"),
    "accounts.password.reset": _("Password reset by administrator"),
    "accounts.role.granted": _("Role granted"),
    "accounts.role.revoked": _("Role revoked"),
    "accounts.api_key.created": _("API key created"),
    "accounts.api_key.revoked": _("API key revoked"),
    "accounts.enterprise.registered": _("Enterprise registered"),
    "accounts.institution.onboarded": _("Institution onboarded"),
    "accounts.member.added": _("Member added"),
    "accounts.member.enabled": _("Member enabled"),
    "accounts.member.disabled": _("Member disabled"),
}


def register_labels() -> None:
    labels.register("role", {role.value: role.label for role in Role})
    labels.register("event", EVENT_LABELS)
    labels.register("job", {"accounts.disable_dormant_accounts": _("Disable dormant accounts")})
