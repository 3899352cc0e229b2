"""Purpose check for consent (see ``dfsp.consent.purposes``): a ``post_loan`` grant names a running
(not settled) loan this institution made to this enterprise, by its id: monitoring a repaid loan
has no purpose. Registered in ``PostloanConfig.ready``."""

from django.utils.translation import gettext as _

from dfsp.loans import selectors as loan_selectors
from dfsp.postloan.states import MONITORING_PURPOSE


def check_loan(*, purpose_id, enterprise, institution) -> str | None:
    text = str(purpose_id or "").strip()
    if not (text.isdigit() and len(text) <= 18) or enterprise is None or institution is None:
        return None
    loan = (
        loan_selectors.loans_of_enterprise(enterprise.uscc or "")
        .filter(pk=int(text), enterprise=enterprise, institution=institution)
        .exclude(status="settled")
        .only("pk", "contract_number")
        .first()
    )
    if loan is None:
        return None
    return _("Post-loan monitoring of loan %(contract)s") % {"contract": loan.contract_number}


def register() -> None:
    from dfsp.consent import purposes

    purposes.register(MONITORING_PURPOSE, check_loan)
