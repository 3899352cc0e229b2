"""Post-loan monitoring consent (FIN-P6): the lending institution asks the borrower to sign it."""

from django.utils.translation import gettext as _

from dfsp.consent import services as consent_services
from dfsp.postloan import parties
from dfsp.postloan.services.common import clean_text
from dfsp.postloan.states import MONITORING_PURPOSE as PURPOSE
from dfsp.postloan.states import MONITORING_SCOPES


def request_monitoring_consent(*, actor, loan_id, reason: str = ""):
    """Ask the borrower for a post-loan monitoring grant (purpose ``post_loan``, id = the loan)."""
    loan = parties.loan_as_party(actor, loan_id, side=parties.INSTITUTION)
    return consent_services.request_grant(
        actor=actor,
        uscc=loan.uscc,
        scope_codes=list(MONITORING_SCOPES),
        purpose_type=PURPOSE,
        purpose_id=str(loan.pk),
        reason=clean_text(reason, 300)
        or _("Post-loan monitoring of loan %(contract)s") % {"contract": loan.contract_number},
    )
