"""Shared by the application services: who acts, row locks, the move itself (event, audit,
step timing), validation against the product, private materials, messages."""

import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, OrganisationKind, Role
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.core.transitions import ensure_transition
from dfsp.enterprises import services as enterprise_services
from dfsp.financing import errors, recipients
from dfsp.financing.actors import acting
from dfsp.financing.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    RejectionReason,
    ReviewSettings,
)
from dfsp.financing.services import timing
from dfsp.financing.states import (
    APPLICATION_TRANSITIONS,
    ApplicationStatus,
)
from dfsp.institutions import selectors as institution_selectors

A = ApplicationStatus
CATEGORY = "financing.application"
PURPOSE = "application"
CONSENT_VALIDITY = timedelta(days=364)
NUMBER_REUSE_WINDOW = timedelta(hours=12)
MAX_MATERIALS = 10
TEN_THOUSAND = Decimal("10000")


def link(application) -> str:
    return f"/financing/applications/{application.pk}/"


def notify_people(users, title, body, application):
    from dfsp.notifications.services import notify

    notify(recipients=users, category=CATEGORY, title=title, body=body, link=link(application))


def audit(event_type, who, application, details=None, outcome="success"):
    record_event(
        event_type=event_type,
        actor=who.user,
        organisation=who.organisation,
        role="api_key" if who.api_key_prefix else "",
        object_type="financing.Application",
        object_id=str(application.pk),
        outcome=outcome,
        details={**({"api_key": who.api_key_prefix} if who.api_key_prefix else {}), **(details or {})},
    )


def institution_side(application):
    """The assigned officer if there is one, else the institution's staff."""
    if application.assigned_officer_id and application.assigned_officer.is_active:
        return [application.assigned_officer]
    return recipients.institution_users(application.institution)


def move(application, target, who, *, action, comment="", details=None, now=None) -> dict:
    """Check and apply one move; end the running step and start the next. Returns event details."""
    ensure_transition(application.status, target, APPLICATION_TRANSITIONS)
    now = now or timezone.now()
    previous = application.status
    step_details = timing.finish_step(application, now)
    application.status = target
    timing.start_step(application, now)
    event_details = {**step_details, **(details or {})}
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=previous,
        to_status=target,
        actor=who.user,
        organisation=who.organisation,
        comment=comment,
        details=event_details,
        created_at=now,
    )
    audit(f"financing.application.{action}", who, application, {"from": previous, "to": target})
    return event_details


STEP_FIELDS = ["status", "current_step", "step_started_at", "due_at"]


# --- who acts ----------------------------------------------------------------------------------


def enterprise_actor(actor):
    who = acting(actor)
    if who.user is None or not actor.has_any_role(ENTERPRISE_ROLES) or who.organisation is None:
        raise errors.not_enterprise()
    return who


def institution_actor(actor):
    who = acting(actor)
    organisation = who.organisation
    if (
        not actor.has_any_role(INSTITUTION_ROLES)
        or organisation is None
        or organisation.kind != OrganisationKind.INSTITUTION
    ):
        raise errors.not_institution()
    return who


def locked(application_id) -> Application:
    try:
        return Application.objects.select_for_update().get(pk=int(application_id))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def locked_for_enterprise(who, application_id) -> Application:
    application = locked(application_id)
    if application.enterprise_id != who.organisation.pk:
        raise NotFound()
    return application


def locked_for_institution(who, application_id) -> Application:
    application = locked(application_id)
    if application.institution_id != who.organisation.pk:
        raise NotFound()
    return application


def two_step_on(institution) -> bool:
    return ReviewSettings.objects.filter(institution=institution, two_step_approval=True).exists()


def ensure_may_decide(actor, who, application) -> None:
    """With two-step approval on, a loan officer proposes; an administrator (or the institution's
    own system through an API key) decides."""
    if who.user is None or actor.has_role(Role.INSTITUTION_ADMIN):
        return
    if two_step_on(application.institution):
        raise AccessDenied(
            _("Two-step approval is on: propose the decision for an administrator to confirm."),
            code=errors.PROPOSAL_REQUIRED,
        )


# --- validation --------------------------------------------------------------------------------


def clean_amount(value, *, low, high, field="amount") -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise errors.invalid(field, _("Enter an amount in yuan."), errors.AMOUNT_OUT_OF_RANGE) from None
    if not (low <= amount <= high) or amount <= 0:
        raise errors.invalid(
            field,
            _("The amount must be between %(low)s and %(high)s yuan.") % {"low": low, "high": high},
            errors.AMOUNT_OUT_OF_RANGE,
        )
    return amount


def clean_term(value, product, field="term_months") -> int:
    try:
        term = int(value)
    except (ValueError, TypeError):
        term = -1
    if not product.term_min <= term <= product.term_max:
        raise errors.invalid(
            field,
            _("The term must be between %(low)d and %(high)d months.")
            % {"low": product.term_min, "high": product.term_max},
            errors.TERM_OUT_OF_RANGE,
        )
    return term


def clean_rate(value, product) -> Decimal:
    try:
        rate = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        rate = Decimal("-1")
    if not product.rate_min <= rate <= product.rate_max:
        raise errors.invalid(
            "rate",
            _("The annual rate must be between %(low)s%% and %(high)s%%.")
            % {"low": product.rate_min, "high": product.rate_max},
            errors.RATE_OUT_OF_RANGE,
        )
    return rate


def clean_reason(reason_code, text) -> tuple[RejectionReason, str]:
    if not (reason_code or "").strip():
        raise errors.invalid("reason_code", _("Choose a rejection reason."), errors.REASON_CODE_REQUIRED)
    reason = RejectionReason.objects.filter(code=str(reason_code).strip(), active=True).first()
    if reason is None:
        raise errors.invalid("reason_code", _("Choose a reason from the list."), errors.UNKNOWN_REASON_CODE)
    text = (text or "").strip()
    if not text:
        raise errors.invalid("text", _("Explain the decision to the enterprise."))
    return reason, text[:2000]


def check_materials(materials) -> list[tuple[object, str]]:
    materials = [m for m in materials or () if m]
    if len(materials) > MAX_MATERIALS:
        raise errors.invalid("materials", _("Attach at most 10 files."), "too_many_files")
    return [(upload, enterprise_services.check_material(upload)) for upload in materials]


def store_materials(application, checked, user) -> int:
    for upload, content_type in checked:
        material = ApplicationMaterial(
            application=application,
            original_name=(upload.name or "upload")[-200:],
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )
        extension = enterprise_services.ALLOWED_MATERIAL_TYPES[content_type]
        material.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
        material.save()
    return len(checked)


def live_product(product_id):
    try:
        return institution_selectors.get_live_product(product_id)
    except NotFound:
        raise errors.product_not_live() from None


def timing_fields() -> list[str]:
    return ["current_step", "step_started_at", "due_at"]


def to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
