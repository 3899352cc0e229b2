"""Writes of the loans app (public): disbursement, repayment, schedules, the daily jobs."""

from dfsp.loans.services.disbursement import PENALTY_FACTOR, disburse_loan
from dfsp.loans.services.overdue import run_overdue_job
from dfsp.loans.services.reminders import send_due_reminders
from dfsp.loans.services.repayments import record_repayment
from dfsp.loans.services.schedule_store import regenerate_schedule

__all__ = [
    "PENALTY_FACTOR",
    "disburse_loan",
    "record_repayment",
    "regenerate_schedule",
    "run_overdue_job",
    "send_due_reminders",
]
