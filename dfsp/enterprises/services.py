"""Writes for enterprises: registration with a verified mobile, certification (FIN-P1), blacklist.

Every service runs in one transaction with its audit row and messages inside; the transition
services lock the certification row and check the move against ALLOWED_TRANSITIONS.
"""

import csv
import hmac
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import filetype
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts import services as accounts_services
from dfsp.accounts.roles import Role
from dfsp.accounts.selectors import organisation_of
from dfsp.audit.services import audited_refusal, record_event
from dfsp.core.crypto import sm3_hmac_hex
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from dfsp.core.identifiers import validate_uscc
from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
from dfsp.core.masking import mask_mobile, mask_name
from dfsp.core.transitions import ensure_transition
from dfsp.enterprises import antibot, recipients
from dfsp.enterprises.models import (
    BlacklistEntry,
    Certification,
    CertificationEvent,
    CertificationMaterial,
    EnterpriseProfile,
    OneTimeCode,
)
from dfsp.enterprises.states import (
    ALLOWED_TRANSITIONS,
    SUBMITTABLE_STATES,
    BlacklistKind,
    CertificationStatus,
)

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
CODE_TTL = timedelta(minutes=5)
CODE_RESEND_COOLDOWN = timedelta(seconds=60)
CODE_MAX_ATTEMPTS = 5
CODE_SENDS_PER_MOBILE_PER_HOUR = 5
CODE_SENDS_PER_IP_PER_HOUR = 20
REGISTRATIONS_PER_IP_PER_HOUR = 10
PURPOSE_REGISTER = "register"

MAX_MATERIAL_BYTES = 10 * 1024 * 1024
ALLOWED_MATERIAL_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000

CATEGORY = "enterprises.certification"


# --- One-time SMS codes ------------------------------------------------------------------------


def _hash_code(mobile: str, code: str) -> str:
    return sm3_hmac_hex(settings.SECRET_KEY.encode(), f"otc:{mobile}:{code}".encode())


def _clean_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if not MOBILE_PATTERN.match(mobile):
        raise ValidationFailed(field_errors={"mobile": _("Enter an 11-digit mainland mobile number.")})
    return mobile


def send_registration_code(*, mobile: str, ip: str | None) -> None:
    """Send a 6-digit code to ``mobile``; refused during the resend cooldown or over the limits."""
    mobile = _clean_mobile(mobile)
    now = timezone.now()
    latest = OneTimeCode.objects.filter(mobile=mobile, purpose=PURPOSE_REGISTER).first()
    if latest and now - latest.created_at < CODE_RESEND_COOLDOWN:
        wait = int((CODE_RESEND_COOLDOWN - (now - latest.created_at)).total_seconds()) + 1
        raise ValidationFailed(
            field_errors={
                "mobile": _("A code was sent just now; you can ask for another in %(s)d seconds.")
                % {"s": wait}
            },
            code="code_cooldown",
        )
    if antibot.over_limit(
        "code-mobile", mobile, limit=CODE_SENDS_PER_MOBILE_PER_HOUR, window_seconds=3600
    ) or (ip and antibot.over_limit("code-ip", ip, limit=CODE_SENDS_PER_IP_PER_HOUR, window_seconds=3600)):
        raise ValidationFailed(
            _("Too many codes were requested. Please try again in an hour."), code="rate_limited"
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        OneTimeCode.objects.create(
            mobile=mobile,
            purpose=PURPOSE_REGISTER,
            code_hash=_hash_code(mobile, code),
            expires_at=now + CODE_TTL,
        )
        from dfsp.notifications.services import send_sms

        send_sms(
            mobile=mobile,
            text=_("Your DFSP registration code is %(code)s. It is valid for 5 minutes.") % {"code": code},
            category="enterprises.registration_code",
        )
        record_event(
            event_type="enterprises.registration_code.sent",
            object_type="mobile",
            object_id=mask_mobile(mobile),
        )


def _consume_code(mobile: str, code: str) -> OneTimeCode:
    """Check the latest live code; a wrong guess counts (committed even when the caller fails)."""
    now = timezone.now()
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=PURPOSE_REGISTER, used_at__isnull=True)
            .first()
        )
        if otc is None or otc.expires_at <= now:
            return _code_error(_("The code has expired or was never sent. Ask for a new one."))
        if otc.attempts >= CODE_MAX_ATTEMPTS:
            return _code_error(_("Too many wrong codes. Ask for a new one."))
        if not hmac.compare_digest(otc.code_hash, _hash_code(mobile, (code or "").strip())):
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            failed = True
        else:
            failed = False
    if failed:
        _code_error(_("The code is not correct."))
    return otc


def _code_error(message):
    raise ValidationFailed(field_errors={"sms_code": message}, code="invalid_code")


# --- Registration ------------------------------------------------------------------------------


@audited_refusal("enterprises.registration.refused", object_type="uscc", id_argument="uscc")
def register_enterprise(
    *,
    name: str,
    uscc: str,
    region_code: str,
    legal_representative: str,
    industry: str,
    scale: str,
    username: str,
    full_name: str,
    mobile: str,
    password: str,
    sms_code: str,
    ip: str | None = None,
):
    """Public sign-up: a verified mobile, a new enterprise with its profile and first admin."""
    if ip and antibot.over_limit("register-ip", ip, limit=REGISTRATIONS_PER_IP_PER_HOUR, window_seconds=3600):
        raise ValidationFailed(
            _("Too many sign-ups from your network. Please try again later."), code="rate_limited"
        )
    errors = {}
    try:
        uscc = validate_uscc(uscc)
    except ValidationError as exc:
        errors["uscc"] = exc.messages[0]
    if not (legal_representative or "").strip():
        errors["legal_representative"] = _("The legal representative is required.")
    if industry not in GBT4754_SECTIONS:
        errors["industry"] = _("Choose an industry section.")
    if scale not in ENTERPRISE_SCALES:
        errors["scale"] = _("Choose the enterprise scale.")
    try:
        mobile = _clean_mobile(mobile)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    try:
        password_validation.validate_password(password)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationFailed(field_errors=errors)
    if _uscc_admins(uscc) is not None:
        raise _uscc_taken(uscc)
    otc = _consume_code(mobile, sms_code)
    with transaction.atomic():
        organisation, user = accounts_services.register_enterprise_account(
            name=name,
            uscc=uscc,
            region_code=region_code,
            username=username,
            full_name=full_name,
            mobile=mobile,
            password=password,
        )
        OneTimeCode.objects.filter(pk=otc.pk).update(used_at=timezone.now())
        EnterpriseProfile.objects.create(
            organisation=organisation,
            legal_representative=legal_representative.strip(),
            industry=industry,
            scale=scale,
            contact_name=full_name.strip(),
            contact_mobile=mobile,
        )
        certification = Certification.objects.create(organisation=organisation)
        CertificationEvent.objects.create(
            certification=certification, to_status=CertificationStatus.DRAFT, actor=user
        )
        record_event(
            event_type="enterprises.profile.created",
            actor=user,
            organisation=organisation,
            object_type="enterprises.EnterpriseProfile",
            object_id=str(organisation.pk),
            details={"industry": industry, "scale": scale},
        )
    return organisation, user


def _uscc_admins(uscc: str):
    """None when no organisation has this code; else its admins (maybe none)."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(memberships__organisation__uscc=uscc)
    if not people.exists() and not Certification.objects.filter(organisation__uscc=uscc).exists():
        return None
    return list(people.filter(memberships__role=Role.ENTERPRISE_ADMIN, is_active=True).order_by("pk"))


def _uscc_taken(uscc: str) -> Conflict:
    admins = _uscc_admins(uscc) or []
    contact = ""
    if admins:
        admin = admins[0]
        contact = " " + _("Its administrator is %(name)s (%(mobile)s).") % {
            "name": mask_name(admin.full_name),
            "mobile": mask_mobile(admin.mobile),
        }
    return Conflict(
        _(
            "This unified social credit code is already registered. Ask that enterprise's administrator to add you as a member."
        )
        + contact,
        code="uscc_taken",
        field_errors={"uscc": _("This unified social credit code is already registered.")},
    )


# --- Certification materials -------------------------------------------------------------------


def check_material(upload) -> str:
    """The content type sniffed from the bytes (never the name or the browser's claim)."""
    if upload.size > MAX_MATERIAL_BYTES:
        raise ValidationFailed(
            _("The file is larger than 10 MB."),
            code="file_too_large",
            field_errors={"file": _("The file is larger than 10 MB.")},
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_MATERIAL_TYPES:
        raise ValidationFailed(
            _("Only PDF, JPG and PNG files are accepted."),
            code="file_type_not_allowed",
            field_errors={"file": _("Only PDF, JPG and PNG files are accepted.")},
        )
    return kind.mime


def _store_material(certification, kind, upload, content_type, user) -> CertificationMaterial:
    material = CertificationMaterial(
        certification=certification,
        kind=kind,
        original_name=(upload.name or "upload")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    material.file.save(f"{secrets.token_hex(16)}.{ALLOWED_MATERIAL_TYPES[content_type]}", upload, save=False)
    material.save()
    return material


# --- Certification -----------------------------------------------------------------------------


def _enterprise_admin_organisation(actor):
    if not actor.has_role(Role.ENTERPRISE_ADMIN):
        raise AccessDenied(_("Only the enterprise administrator can do this."), code="not_enterprise_admin")
    organisation = organisation_of(actor)
    if organisation is None:
        raise AccessDenied()
    return organisation


def _move(certification, target, *, actor, comment="", event_type, details=None):
    ensure_transition(certification.status, target, ALLOWED_TRANSITIONS)
    previous = certification.status
    certification.status = target
    CertificationEvent.objects.create(
        certification=certification, from_status=previous, to_status=target, actor=actor, comment=comment
    )
    record_event(
        event_type=event_type,
        actor=actor,
        organisation=certification.organisation,
        object_type="enterprises.Certification",
        object_id=str(certification.pk),
        details={"from": previous, "to": target, **(details or {})},
    )


def _notify(users, title, body="", link="/enterprises/account/", *, sms=False):
    from dfsp.notifications.services import notify

    notify(recipients=users, category=CATEGORY, title=title, body=body, link=link, sms=sms)


@dataclass
class Materials:
    business_licence: object | None = None
    authorisation_letter: object | None = None
    others: list = field(default_factory=list)


@audited_refusal("enterprises.certification.submit_refused", object_type="enterprises.Certification")
def submit_certification(
    *,
    actor,
    legal_representative: str,
    address: str,
    contact_name: str,
    contact_mobile: str,
    submitted_by_agent: bool = False,
    agent_name: str = "",
    materials: Materials | None = None,
) -> Certification:
    """Send (or resend) the certification; a blacklist hit terminates it at once."""
    organisation = _enterprise_admin_organisation(actor)
    materials = materials or Materials()
    errors = {}
    if not (legal_representative or "").strip():
        errors["legal_representative"] = _("The legal representative is required.")
    if not (contact_name or "").strip():
        errors["contact_name"] = _("The contact person is required.")
    if not MOBILE_PATTERN.match((contact_mobile or "").strip()):
        errors["contact_mobile"] = _("Enter an 11-digit mainland mobile number.")
    if submitted_by_agent and not (agent_name or "").strip():
        errors["agent_name"] = _("Give the name of the authorised agent.")
    checked = {}
    for name, upload in (
        ("business_licence", materials.business_licence),
        ("authorisation_letter", materials.authorisation_letter),
    ):
        if upload is not None:
            try:
                checked[name] = check_material(upload)
            except ValidationFailed as exc:
                errors[name] = exc.field_errors["file"]
    other_types = []
    for upload in materials.others:
        try:
            other_types.append(check_material(upload))
        except ValidationFailed as exc:
            errors["others"] = exc.field_errors["file"]
    with transaction.atomic():
        Certification.objects.get_or_create(organisation=organisation)
        certification = Certification.objects.select_for_update().get(organisation=organisation)
        if certification.status not in SUBMITTABLE_STATES:
            raise Conflict(
                _("The certification cannot be submitted in its current state."), code="invalid_transition"
            )
        has = set(certification.materials.values_list("kind", flat=True))
        if (
            "business_licence" not in checked
            and "business_licence" not in errors
            and (CertificationMaterial.Kind.BUSINESS_LICENCE not in has)
        ):
            errors["business_licence"] = _("Upload the business licence.")
        if (
            submitted_by_agent
            and "authorisation_letter" not in checked
            and "authorisation_letter" not in errors
            and CertificationMaterial.Kind.AUTHORISATION_LETTER not in has
        ):
            errors["authorisation_letter"] = _("An agent must upload the authorisation letter.")
        if errors:
            raise ValidationFailed(field_errors=errors)
        profile, _created = EnterpriseProfile.objects.get_or_create(
            organisation=organisation,
            defaults={
                "legal_representative": legal_representative.strip(),
                "industry": "C",
                "scale": "small",
            },
        )
        profile.legal_representative = legal_representative.strip()
        profile.address = (address or "").strip()[:200]
        profile.contact_name = contact_name.strip()
        profile.contact_mobile = contact_mobile.strip()
        profile.save(update_fields=["legal_representative", "address", "contact_name", "contact_mobile"])
        for name, content_type in checked.items():
            _store_material(certification, name, getattr(materials, name), content_type, actor)
        for upload, content_type in zip(materials.others, other_types, strict=False):
            _store_material(certification, CertificationMaterial.Kind.OTHER, upload, content_type, actor)
        certification.submitted_by_agent = bool(submitted_by_agent)
        certification.agent_name = (agent_name or "").strip() if submitted_by_agent else ""
        certification.submitted_at = timezone.now()
        certification.reason = ""
        certification.decided_at = None
        hit = BlacklistEntry.objects.in_force().filter(uscc=organisation.uscc).first()
        if hit is not None:
            message = _("Listed on “%(list)s” by %(body)s: %(reason)s") % {
                "list": hit.get_kind_display(),
                "body": hit.issuing_body,
                "reason": hit.reason,
            }
            certification.reason = message
            certification.blacklist_entry = hit
            certification.decided_at = certification.submitted_at
            _move(
                certification,
                CertificationStatus.TERMINATED,
                actor=actor,
                comment=message,
                event_type="enterprises.certification.terminated",
                details={"blacklist_entry": hit.pk, "list": hit.kind},
            )
            _notify(
                recipients.enterprise_admins(organisation),
                _("Certification terminated: blacklist match"),
                message,
                sms=True,
            )
        else:
            certification.blacklist_entry = None
            target = (
                CertificationStatus.SUBMITTED
                if certification.status == CertificationStatus.DRAFT
                else CertificationStatus.RESUBMITTED
            )
            _move(certification, target, actor=actor, event_type="enterprises.certification.submitted")
            _notify(
                recipients.operators(),
                _("Certification waiting for review: %(name)s") % {"name": organisation.name},
                link=f"/enterprises/review/{certification.pk}/",
            )
        certification.save()
    return certification


def _require_operator(actor) -> None:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied(_("Only platform operators review certifications."), code="not_operator")


def _locked(certification_id) -> Certification:
    try:
        return (
            Certification.objects.select_for_update().select_related("organisation").get(pk=certification_id)
        )
    except (Certification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _decide(*, reviewer, certification_id, target, reason, event_type, title, needs_reason=True):
    _require_operator(reviewer)
    reason = (reason or "").strip()
    if needs_reason and not reason:
        raise ValidationFailed(field_errors={"reason": _("Give a reason the enterprise will see.")})
    with transaction.atomic():
        certification = _locked(certification_id)
        if target == CertificationStatus.APPROVED and certification.status in (
            CertificationStatus.SUBMITTED,
            CertificationStatus.RESUBMITTED,
        ):
            _refuse_if_blacklisted(certification.organisation)
        _move(certification, target, actor=reviewer, comment=reason, event_type=event_type)
        certification.reviewer = reviewer
        certification.decided_at = timezone.now()
        certification.reason = reason
        if target == CertificationStatus.APPROVED:
            certification.blacklist_entry = None
        certification.save()
        # A decision reaches the enterprise admin's verified mobile too (after commit, via Celery).
        _notify(recipients.enterprise_admins(certification.organisation), title, reason, sms=True)
    return certification


def _listing_text(entry: BlacklistEntry) -> str:
    return _("Listed on “%(list)s” by %(body)s: %(reason)s") % {
        "list": entry.get_kind_display(),
        "body": entry.issuing_body,
        "reason": entry.reason,
    }


def _refuse_if_blacklisted(organisation) -> None:
    """An entry that came into force while the certification waited in the queue blocks approval."""
    hit = BlacklistEntry.objects.in_force().filter(uscc=organisation.uscc).first()
    if hit is not None:
        raise Conflict(
            _("This enterprise is on the blacklist; reject the certification instead. %(listing)s")
            % {"listing": _listing_text(hit)},
            code="blacklist_hit",
        )


@audited_refusal(
    "enterprises.certification.approve_refused",
    object_type="enterprises.Certification",
    id_argument="certification_id",
)
def approve_certification(*, reviewer, certification_id, comment: str = "") -> Certification:
    return _decide(
        reviewer=reviewer,
        certification_id=certification_id,
        target=CertificationStatus.APPROVED,
        reason=comment,
        event_type="enterprises.certification.approved",
        title=_("Your enterprise is certified"),
        needs_reason=False,
    )


@audited_refusal(
    "enterprises.certification.reject_refused",
    object_type="enterprises.Certification",
    id_argument="certification_id",
)
def reject_certification(*, reviewer, certification_id, reason: str) -> Certification:
    return _decide(
        reviewer=reviewer,
        certification_id=certification_id,
        target=CertificationStatus.REJECTED,
        reason=reason,
        event_type="enterprises.certification.rejected",
        title=_("Your certification was rejected"),
    )


@audited_refusal(
    "enterprises.certification.return_refused",
    object_type="enterprises.Certification",
    id_argument="certification_id",
)
def return_certification(*, reviewer, certification_id, reason: str) -> Certification:
    return _decide(
        reviewer=reviewer,
        certification_id=certification_id,
        target=CertificationStatus.RETURNED,
        reason=reason,
        event_type="enterprises.certification.returned",
        title=_("Your certification needs more material"),
    )


@audited_refusal(
    "enterprises.certification.terminate_refused",
    object_type="enterprises.Certification",
    id_argument="certification_id",
)
def terminate_certification(*, reviewer, certification_id, reason: str) -> Certification:
    """After a re-review: the blacklist entry stands, the certification ends."""
    return _decide(
        reviewer=reviewer,
        certification_id=certification_id,
        target=CertificationStatus.TERMINATED,
        reason=reason,
        event_type="enterprises.certification.terminated",
        title=_("Your certification was terminated"),
    )


def record_material_view(*, actor, material) -> None:
    """Every opening of a private material leaves an audit record."""
    with transaction.atomic():
        record_event(
            event_type="enterprises.material.viewed",
            actor=actor,
            organisation=material.certification.organisation,
            object_type="enterprises.CertificationMaterial",
            object_id=str(material.pk),
            details={"kind": material.kind},
        )


def record_material_denial(*, actor, material_id) -> None:
    """A refused attempt to open a material (someone else's, or none) is audited too."""
    with transaction.atomic():
        record_event(
            event_type="enterprises.material.denied",
            actor=actor,
            outcome="denied",
            object_type="enterprises.CertificationMaterial",
            object_id=str(material_id)[:40],
        )


# --- Blacklist ---------------------------------------------------------------------------------

KIND_ALIASES = {
    **{kind.value: kind.value for kind in BlacklistKind},
    "严重失信主体名单": BlacklistKind.SERIOUS_DISHONESTY,
    "严重失信主体": BlacklistKind.SERIOUS_DISHONESTY,
    "失信被执行人": BlacklistKind.JUDGMENT_DEFAULTER,
    "经营异常名录": BlacklistKind.ABNORMAL_OPERATION,
    "其他": BlacklistKind.OTHER,
}


def _require_blacklist_manager(actor) -> None:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied(_("Only platform operators maintain the blacklist."), code="not_operator")


def _clean_entry(data: dict) -> dict:
    errors = {}
    cleaned = {}
    try:
        cleaned["uscc"] = validate_uscc(str(data.get("uscc") or ""))
    except ValidationError as exc:
        errors["uscc"] = exc.messages[0]
    for name, label in (
        ("name", _("name")),
        ("source", _("source")),
        ("reason", _("reason")),
        ("issuing_body", _("issuing body")),
    ):
        value = str(data.get(name) or "").strip()
        if not value:
            errors[name] = _("The %(field)s is required.") % {"field": label}
        cleaned[name] = value
    kind = KIND_ALIASES.get(str(data.get("kind") or "").strip())
    if kind is None:
        errors["kind"] = _("Unknown list.")
    cleaned["kind"] = kind
    for name in ("start_date", "end_date"):
        try:
            cleaned[name] = _parse_date(data.get(name))
        except ValueError:
            errors[name] = _("Enter a valid date (YYYY-MM-DD).")
    if not errors.get("start_date") and cleaned.get("start_date") is None:
        errors["start_date"] = _("The start date is required.")
    if cleaned.get("start_date") and cleaned.get("end_date") and cleaned["end_date"] < cleaned["start_date"]:
        errors["end_date"] = _("The end date is before the start date.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    cleaned["name"] = cleaned["name"][:200]
    cleaned["source"] = cleaned["source"][:100]
    cleaned["issuing_body"] = cleaned["issuing_body"][:100]
    return cleaned


def _parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    return datetime.strptime(text[:10], "%Y-%m-%d").date()


def _flag_certified_enterprises(entry: BlacklistEntry, actor) -> int:
    """A new or changed entry in force puts already-certified enterprises back under review."""
    if not entry.in_force:
        return 0
    entry.applied_at = timezone.now()
    entry.save(update_fields=["applied_at"])
    flagged = 0
    for certification in (
        Certification.objects.select_for_update()
        .select_related("organisation")
        .filter(organisation__uscc=entry.uscc, status=CertificationStatus.APPROVED)
    ):
        comment = _("Listed on “%(list)s” by %(body)s: %(reason)s") % {
            "list": entry.get_kind_display(),
            "body": entry.issuing_body,
            "reason": entry.reason,
        }
        certification.blacklist_entry = entry
        _move(
            certification,
            CertificationStatus.RE_REVIEW_REQUIRED,
            actor=actor,
            comment=comment,
            event_type="enterprises.certification.re_review_required",
            details={"blacklist_entry": entry.pk},
        )
        certification.submitted_at = timezone.now()
        certification.save(update_fields=["status", "blacklist_entry", "submitted_at"])
        _notify(
            recipients.operators(),
            _("Certified enterprise on the blacklist: %(name)s") % {"name": certification.organisation.name},
            comment,
            link=f"/enterprises/review/{certification.pk}/",
        )
        _notify(
            recipients.enterprise_admins(certification.organisation),
            _("Your certification is under re-review"),
            comment,
        )
        flagged += 1
    for certification in Certification.objects.select_related("organisation").filter(
        organisation__uscc=entry.uscc,
        status__in=[CertificationStatus.SUBMITTED, CertificationStatus.RESUBMITTED],
    ):
        # Not certified yet: approval is refused while the entry is in force; operators are told.
        _notify(
            recipients.operators(),
            _("Enterprise waiting for certification is on the blacklist: %(name)s")
            % {"name": certification.organisation.name},
            _listing_text(entry),
            link=f"/enterprises/review/{certification.pk}/",
        )
    return flagged


def apply_entries_now_in_force() -> dict:
    """Daily: entries dated in the future start to match; certified enterprises they name go back
    under review, exactly as if the entry had been added today."""
    entries = flagged = 0
    for entry_id in (
        BlacklistEntry.objects.in_force().filter(applied_at__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            entry = _locked_entry(entry_id)
            if entry.applied_at is not None or not entry.in_force:
                continue
            count = _flag_certified_enterprises(entry, None)
            record_event(
                event_type="enterprises.blacklist.in_force",
                object_type="enterprises.BlacklistEntry",
                object_id=str(entry.pk),
                details={"uscc": entry.uscc, "kind": entry.kind, "flagged": count},
            )
        entries += 1
        flagged += count
    return {"entries": entries, "flagged": flagged}


@audited_refusal("enterprises.blacklist.create_refused", object_type="enterprises.BlacklistEntry")
def create_blacklist_entry(*, actor, **data) -> BlacklistEntry:
    _require_blacklist_manager(actor)
    cleaned = _clean_entry(data)
    with transaction.atomic():
        entry = BlacklistEntry.objects.create(created_by=actor, **cleaned)
        flagged = _flag_certified_enterprises(entry, actor)
        record_event(
            event_type="enterprises.blacklist.created",
            actor=actor,
            object_type="enterprises.BlacklistEntry",
            object_id=str(entry.pk),
            details={"uscc": entry.uscc, "kind": entry.kind, "flagged": flagged},
        )
    return entry


def _locked_entry(entry_id) -> BlacklistEntry:
    try:
        return BlacklistEntry.objects.select_for_update().get(pk=entry_id)
    except (BlacklistEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@audited_refusal(
    "enterprises.blacklist.update_refused", object_type="enterprises.BlacklistEntry", id_argument="entry_id"
)
def update_blacklist_entry(*, actor, entry_id, **data) -> BlacklistEntry:
    _require_blacklist_manager(actor)
    cleaned = _clean_entry(data)
    with transaction.atomic():
        entry = _locked_entry(entry_id)
        if entry.ended_at is not None:
            raise Conflict(_("An ended entry cannot be edited."), code="blacklist_entry_ended")
        for name, value in cleaned.items():
            setattr(entry, name, value)
        entry.applied_at = None  # applied again below, or by the daily job once it is in force
        entry.save()
        flagged = _flag_certified_enterprises(entry, actor)
        record_event(
            event_type="enterprises.blacklist.updated",
            actor=actor,
            object_type="enterprises.BlacklistEntry",
            object_id=str(entry.pk),
            details={"uscc": entry.uscc, "kind": entry.kind, "flagged": flagged},
        )
    return entry


@audited_refusal(
    "enterprises.blacklist.end_refused", object_type="enterprises.BlacklistEntry", id_argument="entry_id"
)
def end_blacklist_entry(*, actor, entry_id) -> BlacklistEntry:
    _require_blacklist_manager(actor)
    with transaction.atomic():
        entry = _locked_entry(entry_id)
        if entry.ended_at is not None:
            raise Conflict(_("This entry has already ended."), code="blacklist_entry_ended")
        entry.ended_at = timezone.now()
        entry.ended_by = actor
        entry.save(update_fields=["ended_at", "ended_by"])
        record_event(
            event_type="enterprises.blacklist.ended",
            actor=actor,
            object_type="enterprises.BlacklistEntry",
            object_id=str(entry.pk),
            details={"uscc": entry.uscc},
        )
    return entry


HEADER_ALIASES = {
    "uscc": "uscc",
    "统一社会信用代码": "uscc",
    "name": "name",
    "名称": "name",
    "主体名称": "name",
    "kind": "kind",
    "list": "kind",
    "名单类型": "kind",
    "名单": "kind",
    "source": "source",
    "来源": "source",
    "reason": "reason",
    "原因": "reason",
    "列入原因": "reason",
    "issuing_body": "issuing_body",
    "发布机关": "issuing_body",
    "认定机关": "issuing_body",
    "start_date": "start_date",
    "开始日期": "start_date",
    "列入日期": "start_date",
    "end_date": "end_date",
    "结束日期": "end_date",
    "移出日期": "end_date",
}


@dataclass
class ImportRow:
    line: int
    ok: bool
    message: str
    uscc: str = ""


@dataclass
class ImportReport:
    rows: list[ImportRow]
    encoding: str

    @property
    def imported(self) -> int:
        return sum(1 for row in self.rows if row.ok)

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


def _read_rows(upload) -> tuple[list[list], str]:
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(
            field_errors={"file": _("The file is larger than 5 MB.")}, code="file_too_large"
        )
    data = upload.read()
    kind = filetype.guess(data[:8192])
    if kind is not None and kind.extension in ("xlsx", "zip"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:
            raise ValidationFailed(field_errors={"file": _("The spreadsheet cannot be read.")}) from None
        return [list(row) for row in sheet.iter_rows(values_only=True)], "xlsx"
    if kind is not None:
        raise ValidationFailed(
            field_errors={"file": _("Upload a CSV or XLSX file.")}, code="file_type_not_allowed"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text))), "UTF-8" if encoding == "utf-8-sig" else "GBK"
    raise ValidationFailed(field_errors={"file": _("The file is neither UTF-8 nor GBK text.")})


@audited_refusal("enterprises.blacklist.import_refused", object_type="enterprises.BlacklistEntry")
def import_blacklist(*, actor, upload) -> ImportReport:
    """Import CSV (UTF-8 or GBK, detected) or XLSX; good rows are added, each bad row reported."""
    _require_blacklist_manager(actor)
    rows, encoding = _read_rows(upload)
    if not rows:
        raise ValidationFailed(field_errors={"file": _("The file is empty.")})
    header = [HEADER_ALIASES.get(str(cell or "").strip().lstrip("\ufeff")) for cell in rows[0]]
    missing = {"uscc", "name", "kind", "reason", "issuing_body", "start_date"} - set(header)
    if missing:
        raise ValidationFailed(
            field_errors={"file": _("Missing columns: %(cols)s") % {"cols": ", ".join(sorted(missing))}}
        )
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise ValidationFailed(
            field_errors={"file": _("At most %(n)d rows per file.") % {"n": MAX_IMPORT_ROWS}}
        )
    report = ImportRow
    results: list[ImportRow] = []
    with transaction.atomic():
        for line, row in enumerate(rows[1:], start=2):
            if not any(str(cell or "").strip() for cell in row):
                continue
            data = {name: value for name, value in zip(header, row, strict=False) if name}
            data.setdefault("source", "")
            if not str(data.get("source") or "").strip():
                data["source"] = _("Imported file")
            try:
                cleaned = _clean_entry(data)
            except ValidationFailed as exc:
                message = "; ".join(f"{k}: {v}" for k, v in exc.field_errors.items())
                results.append(report(line, False, message, str(data.get("uscc") or "")))
                continue
            duplicate = BlacklistEntry.objects.filter(
                uscc=cleaned["uscc"],
                kind=cleaned["kind"],
                start_date=cleaned["start_date"],
                ended_at__isnull=True,
            ).exists()
            if duplicate:
                results.append(
                    report(
                        line,
                        False,
                        _("Already on the list (same code, list and start date)."),
                        cleaned["uscc"],
                    )
                )
                continue
            entry = BlacklistEntry.objects.create(created_by=actor, **cleaned)
            flagged = _flag_certified_enterprises(entry, actor)
            message = (
                _("Imported.")
                if not flagged
                else _("Imported; a certified enterprise was put under re-review.")
            )
            results.append(report(line, True, message, entry.uscc))
        outcome = ImportReport(results, encoding)
        record_event(
            event_type="enterprises.blacklist.imported",
            actor=actor,
            object_type="enterprises.BlacklistEntry",
            object_id="import",
            details={"imported": outcome.imported, "failed": outcome.failed, "encoding": encoding},
        )
    return outcome


# --- Profile -------------------------------------------------------------------------------------


@audited_refusal("enterprises.profile.update_refused", object_type="enterprises.EnterpriseProfile")
def update_profile(*, actor, industry: str, scale: str, address: str = "") -> EnterpriseProfile:
    organisation = _enterprise_admin_organisation(actor)
    errors = {}
    if industry not in GBT4754_SECTIONS:
        errors["industry"] = _("Choose an industry section.")
    if scale not in ENTERPRISE_SCALES:
        errors["scale"] = _("Choose the enterprise scale.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        profile = EnterpriseProfile.objects.select_for_update().get(organisation=organisation)
        profile.industry, profile.scale, profile.address = industry, scale, (address or "").strip()[:200]
        profile.save(update_fields=["industry", "scale", "address"])
        record_event(
            event_type="enterprises.profile.updated",
            actor=actor,
            organisation=organisation,
            object_type="enterprises.EnterpriseProfile",
            object_id=str(profile.pk),
        )
    return profile
