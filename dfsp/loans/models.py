"""Loans after approval: disbursement, repayment schedules, repayment, overdue, renewal and deferral, evaluation, post-loan monitoring."""
