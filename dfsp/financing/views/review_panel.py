"""What the institution sees on an application page: the credit profile through the consent gate,
the decision models' results, the enterprise's history here, internal notes, assignment and the
decision forms (with two-step approval when the institution turned it on)."""

from django.utils import timezone

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import active_members
from dfsp.consent import selectors as consent_selectors
from dfsp.consent.gate import read_credit_profile
from dfsp.core.errors import DomainError
from dfsp.financing import selectors
from dfsp.financing.forms import ApproveForm, RejectForm
from dfsp.financing.selectors import applications as application_selectors
from dfsp.financing.states import APPLICATION_TRANSITIONS, ApplicationStatus

A = ApplicationStatus


def scope_names(codes) -> list[str]:
    return consent_selectors.scope_names(codes) if codes else []


def gated_profile(request, application) -> dict:
    """Read only when the officer asks (every read is logged and shown to the enterprise)."""
    if not request.GET.get("profile"):
        return {"profile": None, "profile_refused": ""}
    try:
        profile = read_credit_profile(
            actor=request.user,
            uscc=application.uscc,
            elements_or_scopes=list(application.product.data_scopes or []),
            purpose_type="application",
            purpose_id=str(application.pk),
        )
    except DomainError as exc:
        return {"profile": None, "profile_refused": exc.code}
    return {"profile": profile, "profile_refused": ""}


def desk_context(
    request, application, *, assessment=None, assessment_error="", approve_form=None, reject_form=None
):
    user = request.user
    allowed = APPLICATION_TRANSITIONS.get(application.status, set())
    two_step = selectors.two_step_approval(application.institution)
    is_manager = user.has_role(Role.INSTITUTION_ADMIN)
    reasons = list(selectors.rejection_reasons())
    decidable = bool({A.APPROVED, A.REJECTED} & allowed) and application.status != A.APPROVED
    product = application.product
    return {
        **gated_profile(request, application),
        "assessment": assessment,
        "assessment_error": assessment_error,
        "notes": selectors.notes_for(actor=user, application=application),
        "earlier": application_selectors.previous_applications(application),
        "history_counts": selectors.platform_history(enterprise_id=application.enterprise_id),
        "officers": active_members(INSTITUTION_ROLES, application.institution),
        "is_manager": is_manager,
        "two_step": two_step,
        "proposal": application.proposal or {},
        "can_accept": A.ACCEPTED in allowed,
        "can_return": A.RETURNED in allowed,
        "can_approve": A.APPROVED in allowed,
        "can_reject": decidable and A.REJECTED in allowed,
        "decides_directly": is_manager or not two_step,
        "approve_form": approve_form
        or ApproveForm(
            initial={
                "amount": application.amount,
                "rate": product.rate_min,
                "term_months": application.term_months,
            }
        ),
        "reject_form": reject_form or RejectForm(reasons=reasons),
        "reasons": reasons,
        "waiting_hours": application_selectors.waiting_hours(application),
        "late": application_selectors.is_late(application),
        "now": timezone.now(),
        "scope_names": scope_names(product.data_scopes),
    }
