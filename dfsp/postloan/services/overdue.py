"""Overdue reports (逾期上报) and blacklist proposals.

An institution files a report on an overdue loan of its own, then updates the collection status as
it goes (COLLECTION_TRANSITIONS). It may propose listing the borrower; the proposal has no effect
until a platform operator approves it, which creates the entry through the enterprises service.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.enterprises import services as enterprise_services
from dfsp.postloan import parties
from dfsp.postloan.models import BlacklistProposal, CaseEvent, OverdueReport, OverdueUpdate
from dfsp.postloan.services.common import audit, case_event, clean_text, notify_later
from dfsp.postloan.states import (
    COLLECTION_TRANSITIONS,
    OPEN_COLLECTION_STATES,
    PROPOSAL_TRANSITIONS,
    CollectionStatus,
    ProposalStatus,
)

CATEGORY = "postloan.overdue"
BLACKLIST_KIND = "other"


def _link(report) -> str:
    return f"/postloan/overdue/{report.pk}/"


def overdue_amount(loan) -> Decimal:
    """What is past due and unpaid on the loan's live schedule (principal, interest, penalties)."""
    total = Decimal("0")
    for instalment in loan.instalments.filter(superseded=False, status="overdue"):
        total += instalment.outstanding
    return total


def _locked_report(actor, report_id) -> tuple:
    who = parties.acting(actor)
    try:
        report = OverdueReport.objects.select_for_update().select_related("loan").get(pk=report_id)
    except (OverdueReport.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if parties.side_of(actor, report.loan) != parties.INSTITUTION:
        raise NotFound()
    return who, report


def file_overdue_report(
    *, actor, loan_id, status: str = CollectionStatus.CONTACTED, note: str = "", blacklist_reason: str = ""
) -> OverdueReport:
    """The lending institution reports one of its overdue loans; days and amount come from the loan.
    A ``blacklist_reason`` also proposes listing the borrower (effective only after review)."""
    who = parties.acting(actor)
    loan = parties.loan_as_party(actor, loan_id, side=parties.INSTITUTION)
    if status not in OPEN_COLLECTION_STATES:
        raise ValidationFailed(field_errors={"status": _("Choose the current collection status.")})
    if loan.days_past_due <= 0 and loan.status != "overdue":
        raise Conflict(_("This loan is not overdue."), code="loan_not_overdue")
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = OverdueReport.objects.create(
                    loan=loan,
                    institution=loan.institution,
                    uscc=loan.uscc,
                    enterprise_name=loan.enterprise_name,
                    status=status,
                    amount_overdue=overdue_amount(loan),
                    days_past_due=loan.days_past_due,
                    note=clean_text(note),
                    filed_by=who.user,
                )
        except IntegrityError:
            raise Conflict(
                _("An open overdue report exists for this loan."), code="overdue_report_open"
            ) from None
        OverdueUpdate.objects.create(
            report=report,
            status=status,
            amount_overdue=report.amount_overdue,
            days_past_due=report.days_past_due,
            note=report.note,
            actor=who.user,
        )
        case_event(CaseEvent.Kind.OVERDUE_REPORT, report, loan.pk, who, "filed", to_status=status)
        audit(
            "postloan.overdue.filed",
            who,
            report,
            {"loan": loan.pk, "days_past_due": report.days_past_due, "amount": str(report.amount_overdue)},
        )
        notify_later(
            parties.enterprise_people(loan.enterprise),
            category=CATEGORY,
            title=_("Your loan %(contract)s was reported overdue") % {"contract": loan.contract_number},
            body=_("%(days)d days past due. Please contact %(institution)s.")
            % {"days": report.days_past_due, "institution": loan.institution_name},
            link=f"/postloan/loans/{loan.pk}/",
        )
        if clean_text(blacklist_reason):
            _propose(who, report, blacklist_reason)
    return report


def update_overdue_report(*, actor, report_id, status: str, note: str = "") -> OverdueReport:
    """A new collection status (a move in COLLECTION_TRANSITIONS) or, with the same status, a note.
    Days past due and the amount are refreshed from the loan."""
    if status not in CollectionStatus.values:
        raise ValidationFailed(field_errors={"status": _("Choose the current collection status.")})
    note = clean_text(note)
    with transaction.atomic():
        who, report = _locked_report(actor, report_id)
        previous = report.status
        if status == previous:
            if previous not in OPEN_COLLECTION_STATES:
                raise Conflict(_("This overdue report is closed."), code="overdue_report_closed")
            if not note:
                raise ValidationFailed(field_errors={"note": _("Say what happened.")})
        else:
            ensure_transition(previous, status, COLLECTION_TRANSITIONS)
        loan = report.loan
        report.status = status
        report.note = note or report.note
        report.days_past_due = loan.days_past_due
        report.amount_overdue = overdue_amount(loan)
        report.updated_at = timezone.now()
        if status not in OPEN_COLLECTION_STATES:
            report.closed_at = report.updated_at
        report.save()
        OverdueUpdate.objects.create(
            report=report,
            from_status=previous,
            status=status,
            amount_overdue=report.amount_overdue,
            days_past_due=report.days_past_due,
            note=note,
            actor=who.user,
        )
        case_event(
            CaseEvent.Kind.OVERDUE_REPORT, report, loan.pk, who, "updated", from_status=previous, to_status=status,
            comment=note,
        )  # fmt: skip
        audit("postloan.overdue.updated", who, report, {"from": previous, "to": status})
    return report


def _propose(who, report, reason) -> BlacklistProposal:
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(field_errors={"reason": _("Give the reason for listing the borrower.")})
    try:
        with transaction.atomic():
            proposal = BlacklistProposal.objects.create(
                report=report,
                institution=report.institution,
                uscc=report.uscc,
                enterprise_name=report.enterprise_name,
                reason=reason,
                proposed_by=who.user,
            )
    except IntegrityError:
        raise Conflict(
            _("A blacklist proposal is already waiting for review."), code="proposal_pending"
        ) from None
    case_event(
        CaseEvent.Kind.PROPOSAL, proposal, report.loan_id, who, "proposed", to_status=ProposalStatus.PENDING
    )
    audit("postloan.blacklist.proposed", who, proposal, {"report": report.pk, "uscc": report.uscc})
    notify_later(
        parties.operators(),
        category=CATEGORY,
        title=_("Blacklist proposal waiting for review: %(name)s") % {"name": report.enterprise_name},
        body=reason,
        link="/postloan/proposals/",
    )
    return proposal


def propose_blacklist(*, actor, report_id, reason: str) -> BlacklistProposal:
    """The lending institution proposes listing the borrower; nothing is listed until review."""
    with transaction.atomic():
        who, report = _locked_report(actor, report_id)
        return _propose(who, report, reason)


def _locked_proposal(actor, proposal_id) -> tuple:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied(_("Only platform operators review blacklist proposals."), code="not_operator")
    try:
        proposal = BlacklistProposal.objects.select_for_update().select_related("report").get(pk=proposal_id)
    except (BlacklistProposal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    return parties.acting(actor), proposal


def approve_blacklist_proposal(*, actor, proposal_id, kind: str = BLACKLIST_KIND, comment: str = ""):
    """An operator approves: the blacklist entry is created now (through the enterprises service)."""
    with transaction.atomic():
        who, proposal = _locked_proposal(actor, proposal_id)
        ensure_transition(proposal.status, ProposalStatus.APPROVED, PROPOSAL_TRANSITIONS)
        entry = enterprise_services.create_blacklist_entry(
            actor=actor,
            uscc=proposal.uscc,
            name=proposal.enterprise_name,
            kind=kind or BLACKLIST_KIND,
            source=_("Overdue report of %(institution)s") % {"institution": proposal.institution.name},
            reason=proposal.reason,
            issuing_body=proposal.institution.name,
            start_date=timezone.localdate(),
        )
        _decide(who, proposal, ProposalStatus.APPROVED, clean_text(comment), entry_id=entry.pk)
    return proposal


def reject_blacklist_proposal(*, actor, proposal_id, reason: str):
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(field_errors={"reason": _("Give a reason the institution will see.")})
    with transaction.atomic():
        who, proposal = _locked_proposal(actor, proposal_id)
        ensure_transition(proposal.status, ProposalStatus.REJECTED, PROPOSAL_TRANSITIONS)
        _decide(who, proposal, ProposalStatus.REJECTED, reason)
    return proposal


def _decide(who, proposal, target, reason, *, entry_id=None) -> None:
    previous = proposal.status
    proposal.status = target
    proposal.reviewed_by, proposal.reviewed_at, proposal.review_reason = who.user, timezone.now(), reason
    proposal.blacklist_entry_id = entry_id
    proposal.save()
    case_event(
        CaseEvent.Kind.PROPOSAL, proposal, proposal.report.loan_id, who, target, from_status=previous,
        to_status=target, comment=reason,
    )  # fmt: skip
    audit(f"postloan.blacklist.{target}", who, proposal, {"uscc": proposal.uscc, "entry": entry_id})
    title = (
        _("Your blacklist proposal was approved")
        if target == ProposalStatus.APPROVED
        else _("Your blacklist proposal was rejected")
    )
    notify_later(
        parties.institution_people(proposal.institution),
        category=CATEGORY,
        title=title,
        body=f"{proposal.enterprise_name} {reason}".strip(),
        link=_link(proposal.report),
    )
