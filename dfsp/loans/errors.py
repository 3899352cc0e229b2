"""Machine-readable error codes of the loans domain (mapped to HTTP by dfsp.core.errors)."""

# 400 — bad input
INVALID_TERMS = "loan_terms_invalid"
AMOUNT_EXCEEDS_APPROVED = "amount_exceeds_approved"
INVALID_AMOUNT = "repayment_amount_invalid"
REPAYMENT_BEFORE_DISBURSEMENT = "repayment_before_disbursement"
REPAYMENT_IN_FUTURE = "repayment_in_future"
AMOUNT_EXCEEDS_OUTSTANDING = "amount_exceeds_outstanding"
EARLY_OPTION_REQUIRED = "early_repayment_option_required"
# 409 — state conflicts
ALREADY_DISBURSED = "loan_already_disbursed"
APPLICATION_NOT_APPROVED = "application_not_approved"
CONTRACT_NUMBER_TAKEN = "contract_number_taken"
LOAN_SETTLED = "loan_settled"
LOAN_HAS_ARREARS = "loan_has_arrears"
IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
