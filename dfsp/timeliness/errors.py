"""Error codes of the timeliness domain."""

from django.utils.translation import gettext_lazy as _

from dfsp.core.errors import AccessDenied, Conflict, ValidationFailed


def not_urger() -> AccessDenied:
    return AccessDenied(_("Only regulators and platform operators urge institutions."), code="not_urger")


def not_institution() -> AccessDenied:
    return AccessDenied(_("Only the institution's staff answer its urges."), code="not_institution")


def not_regulator() -> AccessDenied:
    return AccessDenied(_("Only regulators close supervision items."), code="not_regulator")


def application_not_late() -> Conflict:
    return Conflict(
        _("This application is not past its deadline; only late applications are urged."),
        code="application_not_late",
    )


def already_replied() -> Conflict:
    return Conflict(_("This urge has already been answered."), code="urge_already_replied")


def text_required(field: str, message) -> ValidationFailed:
    return ValidationFailed(field_errors={field: message})
