"""Who acts (a User or an ApiCaller) and on which side of a loan they stand.

Only the two parties to a real loan act on it: enterprise members of the borrower and staff of the
lending institution. Anyone else gets NotFound: "not yours" and "does not exist" look the same.
Loans are read through ``dfsp.loans.selectors`` (scoped to the actor); this module is the one
place that does so.
"""

from dataclasses import dataclass

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import active_members, organisation_of
from dfsp.core.errors import NotFound

ENTERPRISE = "enterprise"
INSTITUTION = "institution"
SUPERVISORS = frozenset({Role.OPERATOR, Role.REGULATOR})


@dataclass(frozen=True)
class Acting:
    user: object | None  # the person, or None for an API key
    organisation: object | None
    api_key_prefix: str = ""


def acting(actor) -> Acting:
    if hasattr(actor, "api_key") and hasattr(actor, "organisation"):  # an ApiCaller
        if actor.user is not None:
            return Acting(user=actor.user, organisation=actor.organisation or organisation_of(actor.user))
        return Acting(user=None, organisation=actor.organisation, api_key_prefix=actor.api_key.prefix)
    return Acting(user=actor, organisation=organisation_of(actor))


def side_of(actor, loan) -> str:
    """ENTERPRISE, INSTITUTION or "" for someone who is no party to ``loan``."""
    organisation_id = getattr(acting(actor).organisation, "pk", None)
    if organisation_id is None:
        return ""
    if actor.has_any_role(ENTERPRISE_ROLES) and organisation_id == loan.enterprise_id:
        return ENTERPRISE
    if actor.has_any_role(INSTITUTION_ROLES) and organisation_id == loan.institution_id:
        return INSTITUTION
    return ""


def find_loan(actor, loan_id):
    """The loan if ``actor`` may see it (its parties, operators, regulators), else None."""
    from dfsp.loans import selectors as loan_selectors

    try:
        return loan_selectors.get_loan_for(actor=actor, loan_id=loan_id)
    except NotFound:
        return None


def loans_visible_to(actor):
    from dfsp.loans import selectors as loan_selectors

    return loan_selectors.loans_for(actor=actor)


def all_loans():
    """Every loan, for the scheduled reminder job that acts for no one.

    The loans app exposes only actor-scoped reads and per-enterprise system reads, so this reads
    the model behind our own foreign key; replace it by a loans system read when one exists."""
    from dfsp.postloan.models import MaturityReminder

    return MaturityReminder._meta.get_field("loan").related_model.objects.all()


def loan_as_party(actor, loan_id, *, side: str | None = None):
    """The loan if ``actor`` is a party to it (on ``side`` when given); NotFound otherwise."""
    loan = find_loan(actor, loan_id)
    if loan is None:
        raise NotFound()
    found = side_of(actor, loan)
    if not found or (side and found != side):
        raise NotFound()
    return loan


def enterprise_people(organisation) -> list:
    return active_members(ENTERPRISE_ROLES, organisation)


def institution_people(organisation) -> list:
    return active_members(INSTITUTION_ROLES, organisation)


def operators() -> list:
    return active_members([Role.OPERATOR])
