"""Complaint writes: filing, the one-time lookup code, handling steps, rating, escalation."""

import hmac
import secrets
from datetime import timedelta

import filetype
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.complaints.models import Complaint, ComplaintAttachment, ComplaintEvent, LookupCode
from dfsp.complaints.states import ALLOWED_TRANSITIONS, DEFAULT_STEP_HOURS, ComplaintStatus, SubjectKind
from dfsp.core.crypto import sm3_hmac_hex
from dfsp.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.notifications.services import notify, send_sms

STAFF_ROLES = frozenset({Role.OPERATOR})
ALLOWED_MIME_TYPES = {"application/pdf", "image/jpeg", "image/png"}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
CODE_TTL = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
# One code a minute and five a day per case: no SMS flooding of the filer, no brute force by
# requesting code after code (each code allows MAX_CODE_ATTEMPTS guesses).
CODE_RESEND_AFTER = timedelta(seconds=60)
CODES_PER_DAY = 5
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def step_hours(status: str) -> int | None:
    configured = getattr(settings, "COMPLAINT_STEP_HOURS", {})
    return configured.get(status, DEFAULT_STEP_HOURS.get(status))


def _due(status: str):
    hours = step_hours(status)
    return timezone.now() + timedelta(hours=hours) if hours else None


def new_tracking_number() -> str:
    return "TS" + "".join(secrets.choice(_ALPHABET) for _ in range(18))


def validate_attachment(upload) -> str:
    """Return the sniffed MIME type; refuse oversized files and content that is not what it claims."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(field_errors={"attachments": [_("Each file may be at most 5 MB.")]})
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_MIME_TYPES:
        raise ValidationFailed(
            field_errors={"attachments": [_("Only PDF, JPEG and PNG files are accepted.")]}
        )
    return kind.mime


def _staff_users():
    from dfsp.complaints.selectors import staff_users

    return staff_users()


def _log(complaint, *, actor, from_status, to_status, comment=""):
    ComplaintEvent.objects.create(
        complaint=complaint, from_status=from_status, to_status=to_status, actor=actor, comment=comment
    )


def file_complaint(
    *,
    filer,
    kind: str,
    subject_kind: str,
    title: str,
    content: str,
    contact_name: str,
    contact_mobile: str,
    institution=None,
    service: str = "",
    attachments=(),
) -> Complaint:
    if subject_kind == SubjectKind.INSTITUTION and institution is None:
        raise ValidationFailed(field_errors={"institution": [_("Choose the institution.")]})
    if subject_kind == SubjectKind.PLATFORM and not service:
        raise ValidationFailed(field_errors={"service": [_("Choose the platform service.")]})
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(field_errors={"attachments": [_("At most 3 files.")]})
    checked = [(upload, validate_attachment(upload)) for upload in attachments]
    with transaction.atomic():
        complaint = Complaint.objects.create(
            tracking_number=new_tracking_number(),
            kind=kind,
            subject_kind=subject_kind,
            institution=institution if subject_kind == SubjectKind.INSTITUTION else None,
            service=service if subject_kind == SubjectKind.PLATFORM else "",
            title=title,
            content=content,
            contact_name=contact_name,
            contact_mobile=contact_mobile,
            filer=filer if getattr(filer, "is_authenticated", False) else None,
            due_at=_due(ComplaintStatus.SUBMITTED),
        )
        for upload, mime in checked:
            ComplaintAttachment.objects.create(
                complaint=complaint,
                file=upload,
                original_name=(upload.name or "file")[-120:],
                content_type=mime,
                size=upload.size,
            )
        _log(complaint, actor=complaint.filer, from_status="", to_status=ComplaintStatus.SUBMITTED)
        record_event(
            event_type="complaints.filed",
            actor=complaint.filer,
            object_type="complaint",
            object_id=complaint.pk,
            details={"kind": kind, "subject_kind": subject_kind},
        )
        notify(
            recipients=_staff_users(),
            category="complaints",
            title=_("New complaint or suggestion"),
            body=title,
            link=f"/complaints/manage/{complaint.pk}/",
        )
    return complaint


def _hash(code: str) -> str:
    return sm3_hmac_hex(settings.SECRET_KEY.encode(), code.encode())


def send_lookup_code(*, tracking_number: str, mobile: str) -> None:
    """Send a one-time code when number and mobile match; say nothing either way (no oracle)."""
    complaint = Complaint.objects.filter(tracking_number=tracking_number.strip().upper()).first()
    if complaint is None or not hmac.compare_digest(complaint.contact_mobile, mobile.strip()):
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
        # A code's issue time is its expiry minus CODE_TTL.
        now = timezone.now()
        issued_today = LookupCode.objects.filter(
            complaint=complaint, expires_at__gt=now - timedelta(days=1) + CODE_TTL
        )
        if (
            issued_today.count() >= CODES_PER_DAY
            or issued_today.filter(expires_at__gt=now - CODE_RESEND_AFTER + CODE_TTL).exists()
        ):
            record_event(
                event_type="complaints.lookup_throttled", object_type="complaint", object_id=complaint.pk
            )
            return
        LookupCode.objects.filter(complaint=complaint, used=False).update(used=True)
        LookupCode.objects.create(
            complaint=complaint, code_hash=_hash(code), expires_at=timezone.now() + CODE_TTL
        )
    send_sms(
        mobile=complaint.contact_mobile,
        text=_("Your complaint lookup code is %(code)s (valid for 10 minutes).") % {"code": code},
        category="complaints",
    )


def verify_lookup_code(*, tracking_number: str, code: str) -> Complaint:
    """Return the complaint for a valid unused code; any mismatch is NotFound (forged numbers too).

    A wrong guess is counted in its own committed transaction (raising inside the atomic block
    would roll the count back and allow unlimited guesses)."""
    matched = False
    with transaction.atomic():
        complaint = Complaint.objects.filter(tracking_number=tracking_number.strip().upper()).first()
        lookup = (
            LookupCode.objects.select_for_update()
            .filter(complaint=complaint, used=False, expires_at__gt=timezone.now())
            .order_by("-pk")
            .first()
            if complaint is not None
            else None
        )
        if lookup is not None and lookup.attempts < MAX_CODE_ATTEMPTS:
            matched = hmac.compare_digest(lookup.code_hash, _hash(code.strip()))
            if matched:
                lookup.used = True
                lookup.save(update_fields=["used"])
            else:
                lookup.attempts += 1
                lookup.save(update_fields=["attempts"])
    if not matched:
        raise NotFound()
    return complaint


def _locked(complaint_id) -> Complaint:
    complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound()
    return complaint


def _require_staff(actor) -> None:
    if not actor.is_authenticated or not actor.has_any_role(STAFF_ROLES):
        raise AccessDenied(code="role")


def _move(complaint, *, actor, target, comment="", **fields) -> Complaint:
    ensure_transition(complaint.status, target, ALLOWED_TRANSITIONS)
    previous = complaint.status
    complaint.status = target
    complaint.due_at = _due(target)
    complaint.reminded_at = None
    complaint.escalated = False
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.save()
    _log(complaint, actor=actor, from_status=previous, to_status=target, comment=comment)
    record_event(
        event_type=f"complaints.{target}",
        actor=actor,
        object_type="complaint",
        object_id=complaint.pk,
        details={"from": previous},
    )
    return complaint


def accept_complaint(*, actor, complaint_id: int) -> Complaint:
    _require_staff(actor)
    with transaction.atomic():
        return _move(_locked(complaint_id), actor=actor, target=ComplaintStatus.ACCEPTED)


def assign_complaint(*, actor, complaint_id: int, assignee) -> Complaint:
    _require_staff(actor)
    if assignee is None or not assignee.has_any_role(STAFF_ROLES):
        raise ValidationFailed(field_errors={"assignee": [_("Choose an operator.")]})
    with transaction.atomic():
        complaint = _move(
            _locked(complaint_id), actor=actor, target=ComplaintStatus.ASSIGNED, assignee=assignee
        )
        notify(
            recipients=[assignee],
            category="complaints",
            title=_("A complaint was assigned to you"),
            body=complaint.title,
            link=f"/complaints/manage/{complaint.pk}/",
        )
    return complaint


def reply_complaint(*, actor, complaint_id: int, reply: str) -> Complaint:
    _require_staff(actor)
    if not reply.strip():
        raise ValidationFailed(field_errors={"reply": [_("This field is required.")]})
    with transaction.atomic():
        complaint = _move(
            _locked(complaint_id), actor=actor, target=ComplaintStatus.REPLIED, reply=reply.strip()
        )
        mobile = complaint.contact_mobile
        transaction.on_commit(
            lambda: send_sms(
                mobile=mobile,
                text=_("Your complaint has a reply; look it up with your tracking number."),
                category="complaints",
            )
        )
    return complaint


def close_complaint(*, actor, complaint_id: int, comment: str = "") -> Complaint:
    _require_staff(actor)
    with transaction.atomic():
        return _move(
            _locked(complaint_id),
            actor=actor,
            target=ComplaintStatus.CLOSED,
            comment=comment,
            closed_at=timezone.now(),
        )


def rate_complaint(*, complaint: Complaint, satisfaction: int, comment: str = "") -> Complaint:
    """The filer (who passed the SMS lookup) rates the reply; rating closes the case."""
    if satisfaction not in range(1, 6):
        raise ValidationFailed(field_errors={"satisfaction": [_("Choose 1 to 5.")]})
    with transaction.atomic():
        locked = _locked(complaint.pk)
        # Only a replied case is rated (staff may close an unaccepted one; the filer may not).
        if locked.status != ComplaintStatus.REPLIED:
            raise InvalidTransition()
        return _move(
            locked,
            actor=None,
            target=ComplaintStatus.CLOSED,
            comment=comment[:500],
            satisfaction=satisfaction,
            closed_at=timezone.now(),
        )


def escalate_overdue_complaints() -> dict:
    """Remind the handler of a late case once; escalate to every operator when still late."""
    now = timezone.now()
    escalate_after = timedelta(hours=getattr(settings, "COMPLAINT_ESCALATE_AFTER_HOURS", 12))
    reminded = escalated = 0
    late = Complaint.objects.filter(due_at__lt=now, escalated=False).exclude(
        status__in=[ComplaintStatus.REPLIED, ComplaintStatus.CLOSED]
    )
    for complaint_id in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            complaint = _locked(complaint_id)
            if complaint.reminded_at is not None and complaint.reminded_at > now - escalate_after:
                continue
            if complaint.reminded_at is None:
                complaint.reminded_at = now
                complaint.save(update_fields=["reminded_at"])
                recipients = [complaint.assignee] if complaint.assignee else _staff_users()
                title = _("A complaint is late")
                reminded += 1
            else:
                complaint.escalated = True
                complaint.save(update_fields=["escalated"])
                recipients = _staff_users()
                title = _("A late complaint was escalated")
                escalated += 1
                record_event(
                    event_type="complaints.escalated", object_type="complaint", object_id=complaint.pk
                )
            notify(
                recipients=recipients,
                category="complaints",
                title=title,
                body=complaint.title,
                link=f"/complaints/manage/{complaint.pk}/",
            )
    return {"reminded": reminded, "escalated": escalated}
