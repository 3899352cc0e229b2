"""The moves of a loan application (FIN-P3) after submission: accept, approve, reject with a coded
reason, return for information, resubmit, withdraw, mark disbursed.

Every move locks the row, checks it against APPLICATION_TRANSITIONS, writes an ApplicationEvent
(with the ended step's timeliness in ``details``), an audit row and a message to the other side.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.consent import services as consent_services
from dfsp.core.transitions import ensure_transition
from dfsp.financing import errors, recipients
from dfsp.financing.actors import acting
from dfsp.financing.models import (
    Application,
)
from dfsp.financing.services.common import (
    PURPOSE,
    STEP_FIELDS,
    TEN_THOUSAND,
    check_materials,
    clean_amount,
    clean_rate,
    clean_reason,
    clean_term,
    ensure_may_decide,
    enterprise_actor,
    institution_actor,
    institution_side,
    locked_for_enterprise,
    locked_for_institution,
    move,
    notify_people,
    store_materials,
)
from dfsp.financing.states import (
    APPLICATION_TRANSITIONS,
    ApplicationStatus,
)

A = ApplicationStatus


# --- the institution's moves ---------------------------------------------------------------------


def accept_application(*, actor, application_id, comment: str = "") -> Application:
    """受理: the institution takes the application into review; the decide step starts."""
    who = institution_actor(actor)
    with transaction.atomic():
        application = locked_for_institution(who, application_id)
        move(application, A.ACCEPTED, who, action="accepted", comment=(comment or "").strip())
        application.accepted_at = timezone.now()
        fields = [*STEP_FIELDS, "accepted_at"]
        if application.assigned_officer_id is None and who.user is not None:
            application.assigned_officer = who.user
            fields.append("assigned_officer")
        application.save(update_fields=fields)
        notify_people(
            recipients.enterprise_people(application.enterprise),
            _("Your loan application was accepted"),
            _("%(institution)s is reviewing your application for %(product)s.")
            % {"institution": application.institution.name, "product": application.product_name},
            application,
        )
    return application


def decide_approval(application, who, *, amount, rate, term, conditions, comment="") -> None:
    move(
        application,
        A.APPROVED,
        who,
        action="approved",
        comment=comment,
        details={"amount": str(amount), "rate": str(rate), "term_months": term},
    )
    application.approved_amount, application.approved_rate = amount, rate
    application.approved_term_months, application.conditions = term, conditions
    application.decided_at, application.proposal = timezone.now(), {}
    application.save(
        update_fields=[
            *STEP_FIELDS,
            "approved_amount",
            "approved_rate",
            "approved_term_months",
            "conditions",
            "decided_at",
            "proposal",
        ]
    )
    notify_people(
        recipients.enterprise_people(application.enterprise),
        _("Your loan application was approved"),
        _("%(amount)s yuan at %(rate)s%% for %(term)d months.")
        % {"amount": amount, "rate": rate, "term": term},
        application,
    )


def clean_approval(application, *, amount, rate, term_months, conditions) -> dict:
    product = application.product
    return {
        "amount": clean_amount(amount, low=Decimal("0.01"), high=product.amount_max * TEN_THOUSAND),
        "rate": clean_rate(rate, product),
        "term": clean_term(term_months, product),
        "conditions": (conditions or "").strip()[:2000],
    }


def approve_application(
    *, actor, application_id, amount, rate, term_months, conditions: str = ""
) -> Application:
    """Approve with amount (≤ the product's maximum), rate (within its range), term and conditions."""
    who = institution_actor(actor)
    with transaction.atomic():
        application = locked_for_institution(who, application_id)
        ensure_transition(application.status, A.APPROVED, APPLICATION_TRANSITIONS)
        ensure_may_decide(actor, who, application)
        terms = clean_approval(
            application, amount=amount, rate=rate, term_months=term_months, conditions=conditions
        )
        decide_approval(application, who, **terms)
    return application


def decide_rejection(application, who, *, reason, text) -> None:
    move(application, A.REJECTED, who, action="rejected", comment=text, details={"reason": reason.code})
    application.rejection_reason, application.rejection_text = reason, text
    application.decided_at = application.closed_at = timezone.now()
    application.proposal = {}
    application.save(
        update_fields=[
            *STEP_FIELDS,
            "rejection_reason",
            "rejection_text",
            "decided_at",
            "closed_at",
            "proposal",
        ]
    )
    consent_services.end_grants_for_purpose(
        purpose_type=PURPOSE, purpose_id=str(application.pk), reason="application rejected"
    )
    notify_people(
        recipients.enterprise_people(application.enterprise),
        _("Your loan application was not approved"),
        f"{reason.label}: {text}",
        application,
    )


def reject_application(*, actor, application_id, reason_code, text) -> Application:
    """Reject with a coded reason and an explanation; the grant ends; the enterprise may re-apply."""
    who = institution_actor(actor)
    reason, text = clean_reason(reason_code, text)
    with transaction.atomic():
        application = locked_for_institution(who, application_id)
        ensure_transition(application.status, A.REJECTED, APPLICATION_TRANSITIONS)
        ensure_may_decide(actor, who, application)
        decide_rejection(application, who, reason=reason, text=text)
    return application


def return_application(*, actor, application_id, request_text) -> Application:
    """补充材料: ask for more information; the application resumes where it stopped."""
    who = institution_actor(actor)
    request_text = (request_text or "").strip()
    if not request_text:
        raise errors.invalid("request_text", _("Say what information or material is missing."))
    with transaction.atomic():
        application = locked_for_institution(who, application_id)
        returned_from = application.status
        move(application, A.RETURNED, who, action="returned", comment=request_text)
        application.returned_from, application.return_reason = returned_from, request_text[:2000]
        application.save(update_fields=[*STEP_FIELDS, "returned_from", "return_reason"])
        notify_people(
            recipients.enterprise_people(application.enterprise),
            _("More information is needed for your loan application"),
            request_text,
            application,
        )
    return application


def mark_disbursed(*, actor, application_id) -> Application:
    """Called by the loans app inside its transaction when the loan is recorded."""
    who = institution_actor(actor)
    with transaction.atomic():
        application = locked_for_institution(who, application_id)
        move(application, A.DISBURSED, who, action="disbursed")
        application.closed_at = timezone.now()
        application.save(update_fields=[*STEP_FIELDS, "closed_at"])
        consent_services.end_grants_for_purpose(
            purpose_type=PURPOSE, purpose_id=str(application.pk), reason="loan disbursed"
        )
    return application


# --- the enterprise's moves ----------------------------------------------------------------------


def resubmit_application(*, actor, application_id, text: str = "", materials=()) -> Application:
    """The enterprise adds the information asked for; the application resumes at ``returned_from``."""
    who = enterprise_actor(actor)
    checked = check_materials(materials)
    text = (text or "").strip()
    if not text and not checked:
        raise errors.invalid("text", _("Add the information or the material that was asked for."))
    with transaction.atomic():
        application = locked_for_enterprise(who, application_id)
        target = application.returned_from or A.SUBMITTED
        move(
            application,
            target,
            who,
            action="resubmitted",
            comment=text[:2000],
            details={"materials": len(checked)},
        )
        application.returned_from = ""
        application.save(update_fields=[*STEP_FIELDS, "returned_from"])
        store_materials(application, checked, who.user)
        notify_people(
            institution_side(application),
            _("Information added to a loan application: %(name)s") % {"name": application.enterprise_name},
            text[:200],
            application,
        )
    return application


def withdraw_application(*, actor, application_id, reason: str = "") -> Application:
    """The enterprise withdraws before the loan is made; the data grant ends with it."""
    who = enterprise_actor(actor)
    with transaction.atomic():
        application = locked_for_enterprise(who, application_id)
        move(
            application,
            A.WITHDRAWN,
            who,
            action="withdrawn",
            comment=(reason or "").strip()[:2000],
            details={"by_enterprise": True},
        )
        application.closed_at = timezone.now()
        application.save(update_fields=[*STEP_FIELDS, "closed_at"])
        consent_services.end_grants_for_purpose(
            purpose_type=PURPOSE, purpose_id=str(application.pk), reason="application withdrawn"
        )
        notify_people(
            institution_side(application),
            _("Loan application withdrawn: %(name)s") % {"name": application.enterprise_name},
            application.product_name,
            application,
        )
    return application


def record_application_denial(*, actor, application_id, action: str) -> None:
    """A refused attempt on someone else's (or no) application is audited; the caller answers 404."""
    who = acting(actor)
    with transaction.atomic():
        record_event(
            event_type="financing.application.denied",
            actor=who.user,
            organisation=who.organisation,
            outcome="denied",
            object_type="financing.Application",
            object_id=str(application_id)[:40],
            details={"action": action},
        )


def record_material_view(*, actor, material) -> None:
    """Every opening of an application's private material leaves an audit record."""
    who = acting(actor)
    with transaction.atomic():
        record_event(
            event_type="financing.application.material_viewed",
            actor=who.user,
            organisation=who.organisation,
            object_type="financing.ApplicationMaterial",
            object_id=str(material.pk),
            details={"application": material.application_id},
        )
