"""Post-loan states and the moves between them: overdue collection, blacklist proposals,
deferral requests; plus the fixed code lists (deferral kinds, rating tags, overdue buckets)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CollectionStatus(models.TextChoices):
    CONTACTED = "contacted", _("Borrower contacted")  # first contact after the loan fell overdue
    PROMISED = "promised", _("Promised to pay")  # the borrower promised a date
    NEGOTIATING = "negotiating", _("Negotiating")  # restructuring or a payment plan under talks
    LEGAL_ACTION = "legal_action", _("Legal action")  # the institution went to court or arbitration
    SETTLED = "settled", _("Settled")  # the overdue amount was paid; the report is closed
    WRITTEN_OFF = "written_off", _("Written off")  # the institution wrote the debt off; closed


C = CollectionStatus

COLLECTION_TRANSITIONS = {
    C.CONTACTED: {C.PROMISED, C.NEGOTIATING, C.LEGAL_ACTION, C.SETTLED, C.WRITTEN_OFF},
    # a broken promise goes back to contact or on to negotiation or court
    C.PROMISED: {C.CONTACTED, C.NEGOTIATING, C.LEGAL_ACTION, C.SETTLED},
    C.NEGOTIATING: {C.PROMISED, C.LEGAL_ACTION, C.SETTLED, C.WRITTEN_OFF},
    C.LEGAL_ACTION: {C.SETTLED, C.WRITTEN_OFF},
    C.SETTLED: set(),
    C.WRITTEN_OFF: set(),
}
OPEN_COLLECTION_STATES = (C.CONTACTED, C.PROMISED, C.NEGOTIATING, C.LEGAL_ACTION)


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for operator review")  # proposed by an institution; no effect yet
    APPROVED = "approved", _("Approved")  # an operator approved it; the blacklist entry exists
    REJECTED = "rejected", _("Rejected")  # an operator refused it, with a reason


P = ProposalStatus
PROPOSAL_TRANSITIONS = {P.PENDING: {P.APPROVED, P.REJECTED}, P.APPROVED: set(), P.REJECTED: set()}


class DeferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the institution")  # requested by the enterprise
    APPROVED = "approved", _("Approved")  # the schedule was regenerated with the new dates
    REJECTED = "rejected", _("Rejected")  # the institution refused, with a reason
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the enterprise withdrew it before the decision


D = DeferralStatus
DEFERRAL_TRANSITIONS = {
    D.PENDING: {D.APPROVED, D.REJECTED, D.WITHDRAWN},
    D.APPROVED: set(),
    D.REJECTED: set(),
    D.WITHDRAWN: set(),
}


class DeferralKind(models.TextChoices):
    PRINCIPAL = "principal", _("Defer principal")  # 延期还本
    INTEREST = "interest", _("Defer interest")  # 延期付息
    BOTH = "both", _("Defer principal and interest")  # 延期还本付息


class Direction(models.TextChoices):
    """Who rates whom after a loan was made (FIN-P7)."""

    ENTERPRISE_RATES_INSTITUTION = "ent_to_inst", _("Enterprise rates the institution")
    INSTITUTION_RATES_ENTERPRISE = "inst_to_ent", _("Institution rates the enterprise")


class InstitutionTag(models.TextChoices):
    """Tags an enterprise may give an institution."""

    FAST = "fast", _("Fast approval")
    FAIR_RATE = "fair_rate", _("Fair interest rate")
    PROFESSIONAL = "professional", _("Professional staff")
    TRANSPARENT = "transparent", _("Transparent fees")
    FEW_MATERIALS = "few_materials", _("Few materials required")
    SLOW = "slow", _("Slow process")
    HIDDEN_FEES = "hidden_fees", _("Unexpected fees")


class EnterpriseTag(models.TextChoices):
    """Tags an institution may give an enterprise."""

    PUNCTUAL = "punctual", _("Repays on time")
    COOPERATIVE = "cooperative", _("Cooperative")
    COMPLETE_MATERIALS = "complete_materials", _("Complete materials")
    SOUND_BUSINESS = "sound_business", _("Sound business")
    LATE_PAYMENTS = "late_payments", _("Late payments")
    HARD_TO_REACH = "hard_to_reach", _("Hard to reach")


# Overdue buckets by days past due (upper bound inclusive; None = open), as in the five-tier rules.
OVERDUE_BUCKETS = [
    ("1-30", _("1–30 days"), 1, 30),
    ("31-60", _("31–60 days"), 31, 60),
    ("61-90", _("61–90 days"), 61, 90),
    ("90+", _("Over 90 days"), 91, None),
]

# Post-loan monitoring consent: the purpose (consent's PurposeType value; its id is the loan id) and
# the scopes whose records show new risk (court cases, tax, utilities, headcount, lists).
MONITORING_PURPOSE = "post_loan"
MONITORING_SCOPES = ("judicial", "tax", "utilities", "social_insurance", "honours_lists")
