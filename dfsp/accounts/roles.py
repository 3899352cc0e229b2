"""Roles and organisation kinds (REQUIREMENTS.md, "Who uses it")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Financial institution")
    GOVERNMENT = "government", _("Government department")
    OPERATOR = "operator", _("Platform operator")


class InstitutionSubtype(models.TextChoices):
    BANK = "bank", _("Bank")
    INSURER = "insurer", _("Insurer")
    SECURITIES = "securities", _("Securities firm")
    GUARANTOR = "guarantor", _("Financing guarantor")
    LEASING = "leasing", _("Financial leasing")
    MICRO_LOAN = "micro_loan", _("Micro-loan company")
    FACTORING = "factoring", _("Commercial factoring")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")
    ENTERPRISE_ADMIN = "enterprise_admin", _("Enterprise administrator")
    INSTITUTION_USER = "institution_user", _("Loan officer")
    INSTITUTION_ADMIN = "institution_admin", _("Institution administrator")
    OPERATOR = "operator", _("Platform operator")
    CONTENT_EDITOR = "content_editor", _("Content editor")
    CONTENT_REVIEWER = "content_reviewer", _("Content reviewer")
    REGULATOR = "regulator", _("Government regulator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三权分立: a user holding one of these holds no other role at all.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Which roles an organisation of each kind may give to its members.
ROLES_BY_ORGANISATION_KIND = {
    OrganisationKind.ENTERPRISE: frozenset({Role.ENTERPRISE_USER, Role.ENTERPRISE_ADMIN}),
    OrganisationKind.INSTITUTION: frozenset({Role.INSTITUTION_USER, Role.INSTITUTION_ADMIN}),
    OrganisationKind.GOVERNMENT: frozenset({Role.REGULATOR}),
    OrganisationKind.OPERATOR: frozenset(
        {Role.OPERATOR, Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER} | ADMIN_ROLES
    ),
}

# Privileged users need a second factor (等保 level 3 identity authentication).
TOTP_REQUIRED_ROLES = frozenset(
    {Role.OPERATOR, Role.REGULATOR, Role.INSTITUTION_USER, Role.INSTITUTION_ADMIN} | ADMIN_ROLES
)

# Roles whose legal basis covers every organisation, not only their own.
PLATFORM_WIDE_ROLES = frozenset({Role.OPERATOR, Role.REGULATOR})

ENTERPRISE_ROLES = ROLES_BY_ORGANISATION_KIND[OrganisationKind.ENTERPRISE]
INSTITUTION_ROLES = ROLES_BY_ORGANISATION_KIND[OrganisationKind.INSTITUTION]
