"""Writes of the post-loan app. Other apps call these names; the modules behind them split by concern."""

from dfsp.postloan.services.maturity import (
    approve_deferral,
    reject_deferral,
    remind_late_deferrals,
    request_deferral,
    request_renewal,
    send_maturity_reminders,
    withdraw_deferral,
)
from dfsp.postloan.services.monitoring import request_monitoring_consent
from dfsp.postloan.services.overdue import (
    approve_blacklist_proposal,
    file_overdue_report,
    propose_blacklist,
    reject_blacklist_proposal,
    update_overdue_report,
)
from dfsp.postloan.services.ratings import rate_loan

__all__ = [
    "approve_blacklist_proposal",
    "approve_deferral",
    "file_overdue_report",
    "propose_blacklist",
    "rate_loan",
    "reject_blacklist_proposal",
    "reject_deferral",
    "remind_late_deferrals",
    "request_deferral",
    "request_monitoring_consent",
    "request_renewal",
    "send_maturity_reminders",
    "update_overdue_report",
    "withdraw_deferral",
]
