"""Before maturity (#7.6): the reminder job, renewal (续贷) and deferral (延期还本付息) requests.

A renewal is a new application to the same product, made through the financing service and
linked to the old loan. A deferral is decided by the lending institution before a working-day
deadline; approval regenerates the loan's schedule through the loans service.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.core.errors import Conflict, NotFound, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.financing import services as financing_services
from dfsp.institutions import selectors as institution_selectors
from dfsp.loans import services as loan_services
from dfsp.postloan import parties
from dfsp.postloan.models import CaseEvent, Deferral, MaturityReminder, Renewal
from dfsp.postloan.services.common import audit, case_event, clean_text, notify_later
from dfsp.postloan.states import DEFERRAL_TRANSITIONS, DeferralKind, DeferralStatus

CATEGORY = "postloan.maturity"
DEFAULT_REMINDER_DAYS = 30
MAX_DEFERRAL_DAYS = 3 * 366
# Application states in which a renewal is still running (financing's open states).
OPEN_APPLICATION_STATES = ("submitted", "accepted", "returned", "approved")
# How the rescheduled principal is repaid: deferring principal keeps interest monthly with the
# principal at the new maturity (先息后本); deferring both pays everything then; deferring interest
# keeps the loan's method over the longer term.
DEFERRED_METHOD = {
    DeferralKind.PRINCIPAL: "interest_first",
    DeferralKind.BOTH: "bullet",
    DeferralKind.INTEREST: None,
}


def reminder_days() -> int:
    return int(getattr(settings, "POSTLOAN_MATURITY_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _loan_link(loan) -> str:
    return f"/postloan/loans/{loan.pk}/"


def send_maturity_reminders(*, today: date | None = None) -> int:
    """Daily job: remind the borrower of each loan maturing within the configured days, once."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=reminder_days())
    due = (
        parties.all_loans()
        .exclude(status="settled")
        .filter(maturity_date__gte=today, maturity_date__lte=horizon, maturity_reminder__isnull=True)
    )
    sent = 0
    for loan in due.select_related("enterprise"):
        with transaction.atomic():
            _reminder, created = MaturityReminder.objects.get_or_create(loan=loan)
            if not created:
                continue
            notify_later(
                parties.enterprise_people(loan.enterprise),
                category=CATEGORY,
                title=_("Your loan %(contract)s matures on %(date)s") % {
                    "contract": loan.contract_number, "date": loan.maturity_date.isoformat()},
                body=_("You may request a renewal or a deferral of principal and interest before maturity."),
                link=_loan_link(loan),
            )  # fmt: skip
        sent += 1
    return sent


def request_renewal(
    *,
    actor,
    loan_id,
    amount,
    term_months,
    purpose: str,
    confirmed: bool = False,
    number=None,
    shown_text_hash: str = "",
    ip: str | None = None,
) -> Renewal:
    """The borrower applies again to the same product before maturity; the new application is
    made by the financing service (which signs the product's data authorisation) and linked."""
    who = parties.acting(actor)
    loan = parties.loan_as_party(actor, loan_id, side=parties.ENTERPRISE)
    if loan.status == "settled" or loan.maturity_date < timezone.localdate():
        raise Conflict(
            _("Only a running loan before its maturity can be renewed."), code="renewal_not_possible"
        )
    if Renewal.objects.filter(loan=loan, application__status__in=OPEN_APPLICATION_STATES).exists():
        raise Conflict(_("A renewal of this loan is already under way."), code="renewal_open")
    product_id = loan.application.product_id
    if number is None:
        preview = financing_services.preview_application(actor=actor, product_id=product_id)
        number, shown_text_hash = preview["number"], preview["text_hash"]
    with transaction.atomic():
        application = financing_services.submit_application(
            actor=actor,
            product_id=product_id,
            amount=amount,
            term_months=term_months,
            purpose=purpose,
            confirmed=confirmed,
            number=number,
            shown_text_hash=shown_text_hash,
            ip=ip,
        )
        renewal = Renewal.objects.create(loan=loan, application=application, requested_by=who.user)
        case_event(CaseEvent.Kind.RENEWAL, renewal, loan.pk, who, "requested", to_status=application.status)
        audit("postloan.renewal.requested", who, renewal, {"loan": loan.pk, "application": application.pk})
        notify_later(
            parties.institution_people(loan.institution),
            category=CATEGORY,
            title=_("Renewal requested: %(name)s") % {"name": loan.enterprise_name},
            body=_("For loan %(contract)s") % {"contract": loan.contract_number},
            link=f"/financing/applications/{application.pk}/",
        )
    return renewal


def _clean_deferral(loan, kind, reason, maturity) -> dict:
    errors = {}
    if kind not in DeferralKind.values:
        errors["kind"] = _("Choose what to defer.")
    reason = clean_text(reason)
    if not reason:
        errors["reason"] = _("Explain why you need the deferral.")
    if not isinstance(maturity, date) or not (
        loan.maturity_date < maturity <= loan.maturity_date + timedelta(days=MAX_DEFERRAL_DAYS)
    ):
        errors["proposed_maturity_date"] = _(
            "Propose a new maturity after the current one (%(date)s) and at most three years later."
        ) % {"date": loan.maturity_date.isoformat()}
    if errors:
        raise ValidationFailed(field_errors=errors)
    return {"kind": kind, "reason": reason, "proposed_maturity_date": maturity}


def _decision_due(loan, now):
    from dfsp.workdays import selectors as workday_selectors

    profile = institution_selectors.institution_profile(loan.institution_id)
    institution_type = getattr(profile, "institution_type", "") or "other"
    return workday_selectors.due_at(step="decide", institution_type=institution_type, start=now)


def request_deferral(*, actor, loan_id, kind: str, reason: str, proposed_maturity_date) -> Deferral:
    who = parties.acting(actor)
    loan = parties.loan_as_party(actor, loan_id, side=parties.ENTERPRISE)
    if loan.status == "settled":
        raise Conflict(_("A settled loan cannot be deferred."), code="loan_settled")
    cleaned = _clean_deferral(loan, kind, reason, proposed_maturity_date)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                deferral = Deferral.objects.create(
                    loan=loan,
                    requested_by=who.user,
                    requested_at=now,
                    due_at=_decision_due(loan, now),
                    **cleaned,
                )
        except IntegrityError:
            raise Conflict(
                _("A deferral request is already waiting for a decision."), code="deferral_pending"
            ) from None
        case_event(
            CaseEvent.Kind.DEFERRAL, deferral, loan.pk, who, "requested", to_status=DeferralStatus.PENDING
        )
        audit("postloan.deferral.requested", who, deferral, {"loan": loan.pk, "kind": deferral.kind})
        notify_later(
            parties.institution_people(loan.institution),
            category=CATEGORY,
            title=_("Deferral requested: %(name)s") % {"name": loan.enterprise_name},
            body=_("Decide by %(due)s.")
            % {"due": timezone.localtime(deferral.due_at).strftime("%Y-%m-%d %H:%M")},
            link=f"/postloan/deferrals/{deferral.pk}/",
        )
    return deferral


def remind_late_deferrals(*, now=None) -> int:
    """Hourly job: once a pending deferral passes its decision deadline, tell the lending
    institution's staff and admins, and the enterprise that the bank has been reminded (once)."""
    now = now or timezone.now()
    late_ids = list(
        Deferral.objects.filter(
            status=DeferralStatus.PENDING, due_at__lt=now, late_notified_at__isnull=True
        ).values_list("pk", flat=True)
    )
    reminded = 0
    for deferral_id in late_ids:
        with transaction.atomic():
            deferral = (
                Deferral.objects.select_for_update()
                .select_related("loan", "loan__institution", "loan__enterprise")
                .filter(pk=deferral_id, status=DeferralStatus.PENDING, late_notified_at__isnull=True)
                .first()
            )
            if deferral is None:
                continue
            deferral.late_notified_at = now
            deferral.save(update_fields=["late_notified_at"])
            system = parties.Acting(user=None, organisation=None)
            case_event(
                CaseEvent.Kind.DEFERRAL, deferral, deferral.loan_id, system, "late", to_status=deferral.status
            )
            audit(
                "postloan.deferral.late",
                system,
                deferral,
                {"loan": deferral.loan_id, "due_at": deferral.due_at.isoformat()},
            )
            loan = deferral.loan
            due = timezone.localtime(deferral.due_at).strftime("%Y-%m-%d %H:%M")
            notify_later(
                parties.institution_people(loan.institution),
                category=CATEGORY,
                title=_("Deferral request past its deadline: %(name)s") % {"name": loan.enterprise_name},
                body=_("The decision was due by %(due)s. Approve or reject it now.") % {"due": due},
                link=f"/postloan/deferrals/{deferral.pk}/",
            )
            notify_later(
                parties.enterprise_people(loan.enterprise),
                category=CATEGORY,
                title=_("Your deferral request is past its deadline"),
                body=_("%(institution)s was due to decide by %(due)s and has been reminded.")
                % {"institution": loan.institution.name, "due": due},
                link=f"/postloan/deferrals/{deferral.pk}/",
            )  # fmt: skip
        reminded += 1
    return reminded


def _term_to(loan, maturity: date) -> int:
    """Instalments from the start of the current period up to the proposed maturity (the loans
    service counts the new term from there)."""
    today = timezone.localdate()
    period_start = (
        loan.instalments.filter(superseded=False, due_date__lte=today)
        .order_by("-due_date")
        .values_list("due_date", flat=True)
        .first()
    ) or loan.start_date
    return max(1, (maturity.year - period_start.year) * 12 + maturity.month - period_start.month)


def _locked_deferral(actor, deferral_id, side) -> tuple:
    try:
        deferral = Deferral.objects.select_for_update().select_related("loan").get(pk=deferral_id)
    except (Deferral.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if parties.side_of(actor, deferral.loan) != side:
        raise NotFound()
    return parties.acting(actor), deferral


def _move(who, deferral, target, reason, *, action) -> None:
    ensure_transition(deferral.status, target, DEFERRAL_TRANSITIONS)
    previous = deferral.status
    deferral.status = target
    if target != DeferralStatus.WITHDRAWN:
        deferral.decided_by, deferral.decided_at, deferral.decision_reason = who.user, timezone.now(), reason
    deferral.save()
    case_event(
        CaseEvent.Kind.DEFERRAL, deferral, deferral.loan_id, who, action, from_status=previous, to_status=target,
        comment=reason,
    )  # fmt: skip
    audit(f"postloan.deferral.{action}", who, deferral, {"from": previous, "to": target})


def approve_deferral(*, actor, deferral_id, comment: str = "") -> Deferral:
    """The lending institution approves; the loan's schedule is regenerated with the new dates."""
    with transaction.atomic():
        who, deferral = _locked_deferral(actor, deferral_id, parties.INSTITUTION)
        ensure_transition(deferral.status, DeferralStatus.APPROVED, DEFERRAL_TRANSITIONS)
        version = loan_services.regenerate_schedule(
            actor=actor,
            loan_id=deferral.loan_id,
            reason="deferral",
            term_months=_term_to(deferral.loan, deferral.proposed_maturity_date),
            method=DEFERRED_METHOD.get(deferral.kind),
            comment=deferral.reason,
        )
        deferral.schedule_version = getattr(version, "number", None)
        _move(who, deferral, DeferralStatus.APPROVED, clean_text(comment), action="approved")
        _tell_enterprise(deferral, _("Your deferral request was approved"), comment)
    return deferral


def reject_deferral(*, actor, deferral_id, reason: str) -> Deferral:
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(field_errors={"reason": _("Give a reason the enterprise will see.")})
    with transaction.atomic():
        who, deferral = _locked_deferral(actor, deferral_id, parties.INSTITUTION)
        _move(who, deferral, DeferralStatus.REJECTED, reason, action="rejected")
        _tell_enterprise(deferral, _("Your deferral request was rejected"), reason)
    return deferral


def withdraw_deferral(*, actor, deferral_id) -> Deferral:
    with transaction.atomic():
        who, deferral = _locked_deferral(actor, deferral_id, parties.ENTERPRISE)
        _move(who, deferral, DeferralStatus.WITHDRAWN, "", action="withdrawn")
    return deferral


def _tell_enterprise(deferral, title, body) -> None:
    notify_later(
        parties.enterprise_people(deferral.loan.enterprise),
        category=CATEGORY,
        title=title,
        body=clean_text(body),
        link=f"/postloan/deferrals/{deferral.pk}/",
    )
