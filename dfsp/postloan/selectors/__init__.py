"""Reads of the post-loan app, scoped to the actor. Other apps call these names."""

from dfsp.postloan.selectors.history import borrower_history_for
from dfsp.postloan.selectors.loans import (
    deferrals_for,
    deferrals_of_loan,
    get_deferral_for,
    get_loan_for,
    party_loans,
    renewals_for,
    renewals_of_loan,
)
from dfsp.postloan.selectors.monitoring import monitoring_for
from dfsp.postloan.selectors.overdue import (
    case_events,
    get_overdue_report_for,
    overdue_reports_for,
    overdue_reports_since,
    proposals_for,
    report_history,
    review_queue,
)
from dfsp.postloan.selectors.ratings import (
    enterprise_rating_summary,
    enterprise_ratings,
    institution_rating_summary,
    own_direction,
    ratings_of_loan,
    tag_choices,
    tag_labels,
)
from dfsp.postloan.selectors.statistics import Period, lending_statistics, platform_lending_statistics

__all__ = [
    "Period",
    "borrower_history_for",
    "case_events",
    "deferrals_for",
    "deferrals_of_loan",
    "enterprise_rating_summary",
    "enterprise_ratings",
    "get_deferral_for",
    "get_loan_for",
    "get_overdue_report_for",
    "institution_rating_summary",
    "lending_statistics",
    "platform_lending_statistics",
    "monitoring_for",
    "overdue_reports_for",
    "overdue_reports_since",
    "own_direction",
    "party_loans",
    "proposals_for",
    "ratings_of_loan",
    "renewals_for",
    "renewals_of_loan",
    "report_history",
    "review_queue",
    "tag_choices",
    "tag_labels",
]
