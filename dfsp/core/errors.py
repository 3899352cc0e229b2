"""One error vocabulary for pages and API alike.

Each domain raises a subclass of DomainError with a machine-readable ``code``; the web layer and
the API map them once to HTTP statuses (400, 403, 404, 409, 422).
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, code: str | None = None, field_errors: dict | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    status = 400
    code = "validation_error"
    default_message = _("Some fields are invalid.")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = _("Please log in first.")


class AccessDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class NotFound(DomainError):
    """Also used for objects that exist but belong to someone else: the two look the same."""

    status = 404
    code = "not_found"
    default_message = _("The requested object does not exist.")


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"
    default_message = _("This action is not allowed in the object's current state.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("The request conflicts with the current state.")
