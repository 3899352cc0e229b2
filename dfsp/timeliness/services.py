"""Writes: flag late applications (job), urge (催办), reply, and close 督办 items.

Escalation by repetition, per lateness (application × step × due time): the first urge goes to
the institution's loan officers (in-app + SMS), the second also to its administrators, the third
also opens a 督办 item in the regulators' supervision list (and tells the regulators). Further urges
stay at level 3 and open no second item while one is open.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.core.errors import NotFound
from dfsp.core.transitions import ensure_transition
from dfsp.financing import selectors as financing_selectors
from dfsp.notifications.services import notify
from dfsp.timeliness import errors, recipients
from dfsp.timeliness.actors import acting, institution_of, is_urger
from dfsp.timeliness.models import Escalation, LatenessFlag, Urge
from dfsp.timeliness.states import ALLOWED_TRANSITIONS, EscalationStatus, Step, UrgeLevel

CATEGORY = "timeliness"
MAX_TEXT = 2000


def _step_label(step: str) -> str:
    return str(Step(step).label) if step in Step.values else step


def _audit(event_type, *, actor=None, organisation=None, object_type, object_id, details=None, api_key=""):
    record_event(
        event_type=event_type,
        actor=actor,
        organisation=organisation,
        role="api_key" if api_key else "",
        object_type=object_type,
        object_id=str(object_id),
        details={**({"api_key": api_key} if api_key else {}), **(details or {})},
    )


def _clean_text(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise errors.text_required(field, message)
    if len(text) > MAX_TEXT:
        raise errors.text_required(field, _("At most 2000 characters."))
    return text


# --- The lateness job --------------------------------------------------------------------------


def flag_late_applications(*, now=None) -> dict:
    """Flag every open application past its step's due time, once per step lateness, and tell the
    institution's staff (in-app + SMS). Safe to run as often as wanted."""
    now = now or timezone.now()
    late = list(financing_selectors.late_applications(now=now))
    flagged = 0
    for application in late:
        with transaction.atomic():
            if LatenessFlag.objects.filter(
                application=application, step=application.current_step, due_at=application.due_at
            ).exists():
                continue
            try:
                with transaction.atomic():
                    flag = LatenessFlag.objects.create(
                        application=application,
                        institution_id=application.institution_id,
                        step=application.current_step,
                        due_at=application.due_at,
                        flagged_at=now,
                    )
            except IntegrityError:  # a concurrent run flagged it first
                continue
            _audit(
                "timeliness.application.late",
                organisation=application.institution,
                object_type="financing.Application",
                object_id=application.pk,
                details={"step": flag.step, "due_at": flag.due_at.isoformat(), "flag": flag.pk},
            )
            notify(
                recipients=recipients.institution_staff(
                    application.institution, application.assigned_officer
                ),
                category=CATEGORY,
                title=_("Application past its deadline: %(name)s") % {"name": application.enterprise_name},
                body=_("Step “%(step)s” was due by %(due)s. Please handle it now.")
                % {
                    "step": _step_label(flag.step),
                    "due": timezone.localtime(flag.due_at).strftime("%Y-%m-%d %H:%M"),
                },
                link=reverse("financing:application_detail", args=[application.pk]),
                sms=True,
            )
            flagged += 1
    return {"late": len(late), "flagged": flagged}


# --- Urging ------------------------------------------------------------------------------------


def _late_application(actor, application_id, now):
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    application = (
        financing_selectors.late_applications(now=now).select_for_update(of=("self",)).filter(pk=pk).first()
    )
    if application is None:
        if not financing_selectors.applications_for(actor=actor).filter(pk=pk).exists():
            raise NotFound()
        raise errors.application_not_late()
    return application


def urge_application(*, actor, application_id, note: str, now=None) -> Urge:
    """A regulator or operator urges the institution handling a late application."""
    if not is_urger(actor):
        raise errors.not_urger()
    who = acting(actor)
    if who.user is None:
        raise errors.not_urger()
    note = _clean_text(note, "note", _("Say what the institution should do."))
    now = now or timezone.now()
    with transaction.atomic():
        application = _late_application(actor, application_id, now)
        step, due = application.current_step, application.due_at
        earlier = Urge.objects.filter(application=application, step=step, due_at=due).count()
        level = min(earlier + 1, UrgeLevel.SUPERVISION)
        urge = Urge.objects.create(
            application=application,
            institution_id=application.institution_id,
            step=step,
            due_at=due,
            level=level,
            note=note,
            by=who.user,
            by_organisation=who.organisation,
            at=now,
        )
        escalation = None
        if (
            level == UrgeLevel.SUPERVISION
            and not Escalation.objects.filter(
                application=application, step=step, status=EscalationStatus.OPEN
            ).exists()
        ):
            escalation = Escalation.objects.create(
                application=application,
                institution_id=application.institution_id,
                urge=urge,
                step=step,
                opened_at=now,
            )
        _audit(
            "timeliness.urge.sent",
            actor=who.user,
            organisation=who.organisation,
            object_type="financing.Application",
            object_id=application.pk,
            details={
                "urge": urge.pk,
                "step": step,
                "level": level,
                "escalation": escalation.pk if escalation else None,
            },
        )
        people = recipients.for_urge_level(level, application.institution, application.assigned_officer)
        notify(
            recipients=people,
            category=CATEGORY,
            title=_("Urged (level %(level)d): %(name)s")
            % {"level": level, "name": application.enterprise_name},
            body=_("Step “%(step)s” is late. %(note)s Reply on the platform.")
            % {"step": _step_label(step), "note": note},
            link=reverse("timeliness:urges"),
            sms=True,
        )
        if escalation is not None:
            notify(
                recipients=recipients.regulators(),
                category=CATEGORY,
                title=_("Referred for supervision (督办): %(institution)s")
                % {"institution": application.institution.name},
                body=_("Urged three times: %(name)s, step “%(step)s”.")
                % {"name": application.enterprise_name, "step": _step_label(step)},
                link=reverse("timeliness:supervision"),
            )
    return urge


def reply_to_urge(*, actor, urge_id, reply: str) -> Urge:
    """The urged institution answers; the urger sees the reply (and is told)."""
    institution = institution_of(actor)
    if institution is None:
        raise errors.not_institution()
    who = acting(actor)
    reply = _clean_text(reply, "reply", _("Write a reply."))
    with transaction.atomic():
        try:
            urge = (
                Urge.objects.select_for_update()
                .select_related("by")
                .get(pk=int(urge_id), institution=institution)
            )
        except (Urge.DoesNotExist, TypeError, ValueError):
            raise NotFound() from None
        if urge.replied_at is not None:
            raise errors.already_replied()
        urge.reply, urge.replied_by, urge.replied_at = reply, who.user, timezone.now()
        urge.replied_by_key = who.api_key_prefix
        urge.save(update_fields=["reply", "replied_by", "replied_by_key", "replied_at"])
        _audit(
            "timeliness.urge.replied",
            actor=who.user,
            organisation=institution,
            object_type="timeliness.Urge",
            object_id=urge.pk,
            details={"application": urge.application_id},
            api_key=who.api_key_prefix,
        )
        notify(
            recipients=[urge.by],
            category=CATEGORY,
            title=_("%(institution)s replied to your urge") % {"institution": institution.name},
            body=reply,
            link=reverse("timeliness:urges"),
        )
    return urge


def close_escalation(*, actor, escalation_id, note: str) -> Escalation:
    if not actor.has_role(Role.REGULATOR) or acting(actor).user is None:
        raise errors.not_regulator()
    note = _clean_text(note, "note", _("Say how the matter was settled."))
    with transaction.atomic():
        try:
            escalation = Escalation.objects.select_for_update().get(pk=int(escalation_id))
        except (Escalation.DoesNotExist, TypeError, ValueError):
            raise NotFound() from None
        ensure_transition(escalation.status, EscalationStatus.CLOSED, ALLOWED_TRANSITIONS)
        escalation.status = EscalationStatus.CLOSED
        escalation.closed_at, escalation.closed_by, escalation.close_note = (
            timezone.now(),
            acting(actor).user,
            note,
        )
        escalation.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
        _audit(
            "timeliness.escalation.closed",
            actor=acting(actor).user,
            object_type="timeliness.Escalation",
            object_id=escalation.pk,
            details={"application": escalation.application_id},
        )
    return escalation
