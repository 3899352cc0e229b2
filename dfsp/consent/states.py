"""Statuses of grants and grant requests, and the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # signed; the gate lets reads through until one of the ends below
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the enterprise took it back; effective at once
    EXPIRED = "expired", _("Expired")  # valid_until passed (the gate checks the time itself too)
    EXHAUSTED = "exhausted", _("Query limit reached")  # the agreed number of reads was used up
    ENDED = "ended", _("Purpose ended")  # the application/demand it was given for has ended


GRANT_TRANSITIONS = {
    GrantStatus.ACTIVE: {
        GrantStatus.WITHDRAWN,
        GrantStatus.EXPIRED,
        GrantStatus.EXHAUSTED,
        GrantStatus.ENDED,
    },
    GrantStatus.WITHDRAWN: set(),
    GrantStatus.EXPIRED: set(),
    GrantStatus.EXHAUSTED: set(),
    GrantStatus.ENDED: set(),
}


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting for the enterprise to accept or decline
    ACCEPTED = "accepted", _("Accepted")  # the enterprise signed a grant from it
    DECLINED = "declined", _("Declined")  # the enterprise said no
    CANCELLED = "cancelled", _("Cancelled")  # the purpose ended before the enterprise answered


REQUEST_TRANSITIONS = {
    RequestStatus.PENDING: {RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus.CANCELLED},
    RequestStatus.ACCEPTED: set(),
    RequestStatus.DECLINED: set(),
    RequestStatus.CANCELLED: set(),
}

ALLOWED_TRANSITIONS = GRANT_TRANSITIONS


class PurposeType(models.TextChoices):
    APPLICATION = "application", _("Loan application")
    DEMAND = "demand", _("Financing demand taken by the institution")
    PRE_ASSESSMENT = "pre_assessment", _("Product pre-assessment")
    POST_LOAN = "post_loan", _("Post-loan monitoring")


# What a supervisor's read without a grant was for (``purpose_id`` of its call log).
SUPERVISOR_READ_LABELS = {
    "datahub_profile": _("Credit profile viewed on the data platform"),
    "datahub_reveal": _("Masked value revealed on the data platform"),
}


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")


class Reason(models.TextChoices):
    """Machine-readable outcome of a gate decision (also the 403 error code)."""

    ALLOWED = "allowed", _("Allowed under a grant")
    LEGAL_BASIS = "legal_basis", _("Allowed under the reader's legal basis (operator/regulator)")
    NO_GRANT = "consent_no_grant", _("No grant (or no such enterprise)")
    WITHDRAWN = "consent_grant_withdrawn", _("Grant withdrawn")
    EXPIRED = "consent_grant_expired", _("Grant expired")
    EXHAUSTED = "consent_grant_exhausted", _("Query limit reached")
    ENDED = "consent_grant_ended", _("Purpose ended")
    SCOPE = "consent_scope_not_granted", _("A requested scope is not granted")
    UNKNOWN_SCOPE = "consent_unknown_scope", _("Unknown scope or element")
    ROLE = "consent_role_not_permitted", _("The reader's role may not read credit data")
    NO_DATA = "consent_no_data", _("No credit data for this enterprise")
