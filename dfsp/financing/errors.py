"""Machine-readable error codes of loan applications (mapped to HTTP once, by core.errors)."""

from django.utils.translation import gettext_lazy as _

from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed

NOT_ENTERPRISE = "not_enterprise"  # 403: only enterprises apply
NOT_INSTITUTION = "not_institution"  # 403: only the institution's staff review
CONSENT_SIGNER_REQUIRED = "consent_signer_required"  # 403: the product needs a grant an admin signs
PROPOSAL_REQUIRED = "proposal_required"  # 403: two-step approval is on, officers propose
NOT_MANAGER = "not_manager"  # 403: only an institution administrator decides a proposal
PRODUCT_NOT_LIVE = "product_not_live"  # 404: no live product with this id
AMOUNT_OUT_OF_RANGE = "amount_out_of_range"  # 400
TERM_OUT_OF_RANGE = "term_out_of_range"  # 400
RATE_OUT_OF_RANGE = "rate_out_of_range"  # 400
REASON_CODE_REQUIRED = "reason_code_required"  # 400
UNKNOWN_REASON_CODE = "unknown_reason_code"  # 400
APPLICATION_NUMBER_INVALID = "application_number_invalid"  # 400: reload the form
DUPLICATE_OPEN_APPLICATION = "duplicate_open_application"  # 409
NO_PROPOSAL = "no_pending_proposal"  # 409
INVALID_TRANSITION = "invalid_transition"  # 409 (core)


def product_not_live() -> NotFound:
    return NotFound(_("This product is not available for applications."), code=PRODUCT_NOT_LIVE)


def duplicate_open_application() -> Conflict:
    return Conflict(
        _("You already have an open application for this product."), code=DUPLICATE_OPEN_APPLICATION
    )


def invalid(field: str, message, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(message, code=code, field_errors={field: message})


def not_institution() -> AccessDenied:
    return AccessDenied(_("Only the institution's staff can do this."), code=NOT_INSTITUTION)


def not_enterprise() -> AccessDenied:
    return AccessDenied(_("Only enterprises apply for loans."), code=NOT_ENTERPRISE)
