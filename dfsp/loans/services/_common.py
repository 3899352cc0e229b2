"""Shared helpers of the loans services: who acts, audit, events, messages, the locked loan."""

from django.utils.translation import gettext as _

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES
from dfsp.accounts.selectors import active_members
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.core.transitions import ensure_transition
from dfsp.loans.actors import Acting, acting
from dfsp.loans.models import Loan, LoanEvent
from dfsp.loans.states import ALLOWED_TRANSITIONS

CATEGORY = "loans.loan"


def loan_link(loan) -> str:
    return f"/loans/{loan.pk}/"


def institution_actor(actor) -> Acting:
    """Loan officers and institution admins (people or their institution's API key) only."""
    who = acting(actor)
    if not who.is_institution or who.organisation is None:
        raise AccessDenied(_("Only the lending institution's staff can do this."))
    return who


def locked_loan_of(who: Acting, loan_id) -> Loan:
    """The institution's own loan, locked; another institution's loan does not exist."""
    try:
        return Loan.objects.select_for_update().get(pk=int(loan_id), institution=who.organisation)
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def audit(event_type: str, who: Acting | None, loan, details=None) -> None:
    prefix = who.api_key_prefix if who else ""
    record_event(
        event_type=event_type,
        actor=who.user if who else None,
        organisation=who.organisation if who else None,
        role="api_key" if prefix else ("system" if who is None else ""),
        object_type="loans.Loan",
        object_id=str(loan.pk),
        details={**({"api_key": prefix} if prefix else {}), **(details or {})},
    )


def add_event(
    loan, action: str, who: Acting | None, *, from_status="", to_status="", comment="", details=None
):
    return LoanEvent.objects.create(
        loan=loan,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=who.user if who else None,
        comment=comment,
        details=details or {},
    )


def move(loan, target: str, who: Acting | None, *, action: str, comment: str = "") -> None:
    ensure_transition(loan.status, target, ALLOWED_TRANSITIONS)
    previous = loan.status
    loan.status = target
    add_event(loan, action, who, from_status=previous, to_status=target, comment=comment)


def enterprise_users(loan) -> list:
    return active_members(ENTERPRISE_ROLES, loan.enterprise)


def institution_users(loan) -> list:
    return active_members(INSTITUTION_ROLES, loan.institution)


def notify_enterprise(loan, title: str, body: str = "") -> None:
    from dfsp.notifications.services import notify

    notify(recipients=enterprise_users(loan), category=CATEGORY, title=title, body=body, link=loan_link(loan))
