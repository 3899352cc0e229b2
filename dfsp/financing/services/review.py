"""The institution's review desk around an application: assignment, internal notes, two-step
approval (officer proposes, administrator decides), invitations to apply, and the operators'
list of rejection reasons."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import active_members
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.financing import errors, recipients
from dfsp.financing.actors import acting
from dfsp.financing.models import (
    ApplicationEvent,
    ApplicationInvitation,
    ApplicationNote,
    Demand,
    RejectionReason,
    ReviewSettings,
)
from dfsp.financing.services import applications as moves
from dfsp.financing.services import common as core
from dfsp.financing.states import APPLICATION_TRANSITIONS, ApplicationStatus, DemandStatus

A = ApplicationStatus


def _person(who):
    if who.user is None:
        raise AccessDenied(_("This needs a person, not an API key."), code="not_a_person")
    return who.user


def _event(application, who, action, comment="", details=None):
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        actor=who.user,
        organisation=who.organisation,
        comment=comment,
        details=details or {},
    )


def assign_officer(*, actor, application_id, officer_id):
    """An administrator assigns any active staff member; a loan officer can only take it himself."""
    who = core.institution_actor(actor)
    _person(who)
    staff = {user.pk: user for user in active_members(INSTITUTION_ROLES, who.organisation)}
    officer = staff.get(core.to_int(officer_id))
    if officer is None:
        raise errors.invalid("officer", _("Choose a member of your institution."))
    if not actor.has_role(Role.INSTITUTION_ADMIN) and officer.pk != who.user.pk:
        raise AccessDenied(
            _("Only an administrator assigns applications to others."), code=errors.NOT_MANAGER
        )
    with transaction.atomic():
        application = core.locked_for_institution(who, application_id)
        application.assigned_officer = officer
        application.save(update_fields=["assigned_officer"])
        _event(application, who, "assigned", details={"officer": officer.pk})
        core.audit("financing.application.assigned", who, application, {"officer": officer.pk})
        if officer.pk != who.user.pk:
            core.notify_people(
                [officer],
                _("A loan application was assigned to you: %(name)s") % {"name": application.enterprise_name},
                application.product_name,
                application,
            )
    return application


def add_note(*, actor, application_id, text) -> ApplicationNote:
    """An internal note: the institution's staff see it, the enterprise never does."""
    who = core.institution_actor(actor)
    user = _person(who)
    text = (text or "").strip()
    if not text:
        raise errors.invalid("text", _("Write the note."))
    with transaction.atomic():
        application = core.locked_for_institution(who, application_id)
        note = ApplicationNote.objects.create(application=application, author=user, text=text[:4000])
        core.audit("financing.application.noted", who, application, {"note": note.pk})
    return note


def set_review_settings(*, actor, two_step_approval: bool) -> ReviewSettings:
    who = core.institution_actor(actor)
    if not actor.has_role(Role.INSTITUTION_ADMIN):
        raise AccessDenied(_("Only an institution administrator changes this."), code=errors.NOT_MANAGER)
    with transaction.atomic():
        settings, _created = ReviewSettings.objects.select_for_update().get_or_create(
            institution=who.organisation
        )
        settings.two_step_approval = bool(two_step_approval)
        settings.updated_at, settings.updated_by = timezone.now(), who.user
        settings.save()
        record_event(
            event_type="financing.review_settings.changed",
            actor=who.user,
            organisation=who.organisation,
            object_type="financing.ReviewSettings",
            object_id=str(settings.pk),
            details={"two_step_approval": settings.two_step_approval},
        )
    return settings


# --- two-step approval -----------------------------------------------------------------------------


def propose_decision(
    *,
    actor,
    application_id,
    decision: str,
    amount=None,
    rate=None,
    term_months=None,
    conditions: str = "",
    reason_code: str = "",
    text: str = "",
) -> object:
    """A loan officer proposes approve (with terms) or reject (with a coded reason) for an
    administrator to confirm."""
    who = core.institution_actor(actor)
    user = _person(who)
    if decision not in ("approve", "reject"):
        raise errors.invalid("decision", _("Choose approve or reject."))
    with transaction.atomic():
        application = core.locked_for_institution(who, application_id)
        target = A.APPROVED if decision == "approve" else A.REJECTED
        ensure_transition(application.status, target, APPLICATION_TRANSITIONS)
        if decision == "approve":
            terms = moves.clean_approval(
                application, amount=amount, rate=rate, term_months=term_months, conditions=conditions
            )
            proposal = {
                "decision": "approve",
                "amount": str(terms["amount"]),
                "rate": str(terms["rate"]),
                "term_months": terms["term"],
                "conditions": terms["conditions"],
            }
        else:
            reason, text = core.clean_reason(reason_code, text)
            proposal = {"decision": "reject", "reason_code": reason.code, "text": text}
        proposal.update(by=user.pk, by_name=str(user), at=timezone.now().isoformat())
        application.proposal = proposal
        application.save(update_fields=["proposal"])
        _event(application, who, "proposed", details=proposal)
        core.audit("financing.application.proposed", who, application, {"decision": decision})
        admins = [
            member
            for member in active_members([Role.INSTITUTION_ADMIN], application.institution)
            if member.pk != user.pk
        ]
        core.notify_people(
            admins,
            _("A decision waits for your confirmation: %(name)s") % {"name": application.enterprise_name},
            _("Proposed: %(decision)s")
            % {"decision": _("approve") if decision == "approve" else _("reject")},
            application,
        )
    return application


def decide_proposal(*, actor, application_id, confirm: bool, comment: str = "") -> object:
    """An institution administrator confirms the officer's proposal (the move happens) or sends it back."""
    who = core.institution_actor(actor)
    _person(who)
    if not actor.has_role(Role.INSTITUTION_ADMIN):
        raise AccessDenied(_("Only an institution administrator decides proposals."), code=errors.NOT_MANAGER)
    comment = (comment or "").strip()[:2000]
    with transaction.atomic():
        application = core.locked_for_institution(who, application_id)
        proposal = dict(application.proposal or {})
        if not proposal:
            raise Conflict(_("There is no proposal waiting."), code=errors.NO_PROPOSAL)
        if not confirm:
            application.proposal = {}
            application.save(update_fields=["proposal"])
            _event(application, who, "proposal_declined", comment=comment, details=proposal)
            core.audit("financing.application.proposal_declined", who, application)
            proposer = [
                m for m in active_members(INSTITUTION_ROLES, who.organisation) if m.pk == proposal.get("by")
            ]
            core.notify_people(
                proposer,
                _("Your proposal was sent back: %(name)s") % {"name": application.enterprise_name},
                comment,
                application,
            )
            return application
        if proposal["decision"] == "approve":
            terms = moves.clean_approval(
                application,
                amount=proposal["amount"],
                rate=proposal["rate"],
                term_months=proposal["term_months"],
                conditions=proposal.get("conditions", ""),
            )
            moves.decide_approval(application, who, comment=comment, **terms)
        else:
            reason, text = core.clean_reason(proposal["reason_code"], proposal["text"])
            moves.decide_rejection(application, who, reason=reason, text=text)
    return application


# --- invitations (an institution that took a demand) -----------------------------------------------


def invite_to_apply(*, actor, demand_id, product_id, message: str = "") -> ApplicationInvitation:
    who = core.institution_actor(actor)
    demand = Demand.objects.filter(
        pk=core.to_int(demand_id), status=DemandStatus.TAKEN, taken_by_organisation=who.organisation
    ).first()
    if demand is None:
        raise NotFound()
    product = core.live_product(product_id)
    if product.organisation_id != who.organisation.pk:
        raise errors.product_not_live()
    with transaction.atomic():
        invitation, created = ApplicationInvitation.objects.get_or_create(
            demand=demand,
            product=product,
            defaults={
                "enterprise": demand.organisation,
                "institution": who.organisation,
                "invited_by": who.user,
                "message": (message or "").strip()[:1000],
            },
        )
        if not created:
            raise Conflict(_("You already invited this enterprise to this product."), code="already_invited")
        record_event(
            event_type="financing.application.invited",
            actor=who.user,
            organisation=who.organisation,
            object_type="financing.Demand",
            object_id=str(demand.pk),
            details={"product": product.pk},
        )
        from dfsp.notifications.services import notify

        notify(
            recipients=recipients.enterprise_people(demand.organisation),
            category=core.CATEGORY,
            title=_("%(institution)s invites you to apply: %(product)s")
            % {"institution": who.organisation.name, "product": product.name},
            body=invitation.message or demand.title,
            link=f"/financing/applications/new/?invitation={invitation.pk}",
        )
    return invitation


# --- rejection reasons (operators) -----------------------------------------------------------------


def save_rejection_reason(
    *, actor, code: str, label: str, advice: str = "", active: bool = True, order: int = 0, reason_id=None
) -> RejectionReason:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied(_("Only platform operators maintain rejection reasons."), code="not_operator")
    label = (label or "").strip()
    code = slugify(code or "").replace("-", "_")[:40]
    problems = {}
    if not label:
        problems["label"] = _("Give the reason a name.")
    if not code:
        problems["code"] = _("Give a code of letters, digits and underscores.")
    if problems:
        raise ValidationFailed(field_errors=problems)
    with transaction.atomic():
        if reason_id:
            reason = RejectionReason.objects.select_for_update().filter(pk=core.to_int(reason_id)).first()
            if reason is None:
                raise NotFound()
        else:
            if RejectionReason.objects.filter(code=code).exists():
                raise ValidationFailed(field_errors={"code": _("This code is already in use.")})
            reason = RejectionReason(code=code)
        reason.label, reason.advice = label[:100], (advice or "").strip()
        reason.active, reason.order = bool(active), max(0, int(order or 0))
        reason.save()
        record_event(
            event_type="financing.rejection_reason.saved",
            actor=actor,
            organisation=acting(actor).organisation,
            object_type="financing.RejectionReason",
            object_id=str(reason.pk),
            details={"code": reason.code, "active": reason.active},
        )
    return reason


# --- decision models -------------------------------------------------------------------------------


def assess_application(*, actor, application_id):
    """Scores from the credit app's decision models for this application (read through the consent
    gate by the credit app, purpose application/pk). Errors (GateRefused, credit's own) propagate."""
    from dfsp.credit import services as credit_services
    from dfsp.enterprises import selectors as enterprise_selectors
    from dfsp.financing.selectors import applications as application_selectors

    core.institution_actor(actor)
    application = application_selectors.get_application_for(actor=actor, application_id=application_id)
    return credit_services.assess(
        actor=actor,
        uscc=application.uscc,
        purpose_type=core.PURPOSE,
        purpose_id=str(application.pk),
        product=application.product,
        amount=application.amount,
        platform_history={
            **application_selectors.platform_history(enterprise_id=application.enterprise_id),
            **enterprise_selectors.network_counts(application.enterprise),
        },
    )
