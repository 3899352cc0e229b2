"""The borrower history shown on the institution's review desk (loaded by htmx into the
financing application page): loans on the platform, repayment record and ratings received."""

from dfsp.accounts.roles import INSTITUTION_ROLES
from dfsp.core.errors import NotFound
from dfsp.financing import selectors as financing_selectors
from dfsp.loans import selectors as loan_selectors
from dfsp.postloan import parties
from dfsp.postloan.selectors.ratings import enterprise_rating_summary, enterprise_ratings


def borrower_history_for(actor, application_id) -> dict:
    """Only staff of the institution the application was made to; NotFound for anyone else."""
    if not actor.has_any_role(INSTITUTION_ROLES):
        raise NotFound()
    application = financing_selectors.get_application_for(actor=actor, application_id=application_id)
    organisation = parties.acting(actor).organisation
    if organisation is None or application.institution_id != organisation.pk:
        raise NotFound()
    loans = loan_selectors.loans_of_enterprise(application.uscc).order_by("-start_date", "-pk")
    return {
        "application": application,
        "loans": list(loans[:50]),
        "record": loan_selectors.borrower_history(uscc=application.uscc),
        "ratings": list(enterprise_ratings(application.uscc)[:20]),
        "rating_summary": enterprise_rating_summary(application.uscc),
    }
