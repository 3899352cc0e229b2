"""Reads around one loan for its two parties (and supervisors): the loan list, deferrals, renewals."""

from django.db.models import QuerySet

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.postloan import parties
from dfsp.postloan.models import Deferral, Renewal
from dfsp.postloan.states import DeferralStatus


def party_loans(actor) -> QuerySet:
    """Loans the actor's organisation borrowed or lent; supervisors see all."""
    if not actor.has_any_role(parties.SUPERVISORS | ENTERPRISE_ROLES | INSTITUTION_ROLES):
        raise AccessDenied()
    return parties.loans_visible_to(actor)


def get_loan_for(actor, loan_id):
    """The loan for one of its parties or a supervisor; NotFound for anyone else."""
    loan = parties.find_loan(actor, loan_id)
    if loan is None:
        raise NotFound()
    return loan


def deferrals_for(actor, *, status: str = "") -> QuerySet[Deferral]:
    organisation = parties.acting(actor).organisation
    queryset = Deferral.objects.select_related("loan")
    if actor.has_any_role(parties.SUPERVISORS):
        pass
    elif organisation is not None and actor.has_any_role(ENTERPRISE_ROLES):
        queryset = queryset.filter(loan__enterprise=organisation)
    elif organisation is not None and actor.has_any_role(INSTITUTION_ROLES):
        queryset = queryset.filter(loan__institution=organisation)
    else:
        raise AccessDenied()
    if status in DeferralStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def get_deferral_for(actor, deferral_id) -> Deferral:
    try:
        return deferrals_for(actor).get(pk=deferral_id)
    except (Deferral.DoesNotExist, ValueError, TypeError, AccessDenied):
        raise NotFound() from None


def deferrals_of_loan(loan) -> QuerySet[Deferral]:
    return Deferral.objects.filter(loan=loan)


def renewals_of_loan(loan) -> QuerySet[Renewal]:
    return Renewal.objects.filter(loan=loan).select_related("application")


def renewals_for(actor) -> QuerySet[Renewal]:
    organisation = parties.acting(actor).organisation
    queryset = Renewal.objects.select_related("loan", "application")
    if actor.has_any_role(parties.SUPERVISORS):
        return queryset
    if organisation is not None and actor.has_any_role(ENTERPRISE_ROLES):
        return queryset.filter(loan__enterprise=organisation)
    if organisation is not None and actor.has_any_role(INSTITUTION_ROLES):
        return queryset.filter(loan__institution=organisation)
    raise AccessDenied()
