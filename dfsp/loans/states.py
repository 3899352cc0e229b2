"""Loan, instalment and repayment vocabularies and the moves between loan states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # disbursed, nothing past due
    OVERDUE = "overdue", _("Overdue")  # at least one instalment is past due and unpaid
    SETTLED = "settled", _("Settled")  # everything repaid; final


S = LoanStatus

ALLOWED_TRANSITIONS = {
    S.ACTIVE: {S.OVERDUE, S.SETTLED},
    # the daily overdue job moves a loan back once its arrears are paid
    S.OVERDUE: {S.ACTIVE, S.SETTLED},
    S.SETTLED: set(),
}


class RepaymentMethod(models.TextChoices):
    EQUAL_INSTALMENT = "equal_instalment", _("Equal instalments (等额本息)")
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal (等额本金)")
    INTEREST_FIRST = "interest_first", _("Monthly interest, principal at maturity (先息后本)")
    BULLET = "bullet", _("Principal and interest at maturity (到期一次还本付息)")


class InstalmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # not yet due, nothing paid
    PARTIALLY_PAID = "partially_paid", _("Partially paid")  # something paid, not yet past due
    PAID = "paid", _("Paid")  # every component paid
    OVERDUE = "overdue", _("Overdue")  # past its due date with something unpaid


class Bucket(models.TextChoices):
    CURRENT = "current", _("Not past due")
    DPD_1_30 = "1-30", _("1–30 days past due")
    DPD_31_60 = "31-60", _("31–60 days past due")
    DPD_61_90 = "61-90", _("61–90 days past due")
    DPD_90_PLUS = "90+", _("More than 90 days past due")


def bucket_for(days_past_due: int) -> str:
    if days_past_due <= 0:
        return Bucket.CURRENT
    if days_past_due <= 30:
        return Bucket.DPD_1_30
    if days_past_due <= 60:
        return Bucket.DPD_31_60
    if days_past_due <= 90:
        return Bucket.DPD_61_90
    return Bucket.DPD_90_PLUS


class Channel(models.TextChoices):
    UI = "ui", _("Platform page")
    API = "api", _("Institution system (API)")


class Component(models.TextChoices):
    """What a repayment pays, in the order it is allocated."""

    PENALTY = "penalty", _("Penalty interest")  # 罚息: on overdue principal
    OVERDUE_INTEREST = "overdue_interest", _("Overdue interest")  # 复利: on unpaid interest past due
    INTEREST = "interest", _("Interest")
    PRINCIPAL = "principal", _("Principal")


class EarlyRepaymentOption(models.TextChoices):
    SHORTER_TERM = "shorter_term", _("Keep the instalment, shorten the term")
    LOWER_INSTALMENT = "lower_instalment", _("Keep the term, lower the instalment")


class ScheduleReason(models.TextChoices):
    DISBURSEMENT = "disbursement", _("Disbursement")
    EARLY_REPAYMENT = "early_repayment", _("Early repayment")
    DEFERRAL = "deferral", _("Deferral")
    RENEWAL = "renewal", _("Renewal")
    ADJUSTMENT = "adjustment", _("Adjustment")
