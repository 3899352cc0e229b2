"""Writes of the consent module: scopes, templates, grants, requests, signing secrets."""

import os
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.consent import evidence, purposes
from dfsp.consent.models import ConsentTemplate, Grant, GrantRequest, Scope, SigningSecret
from dfsp.consent.selectors import (
    acting_organisation,
    acting_user,
    current_template,
    enterprise_by_uscc,
    get_grant_for,
    get_request_for,
    institution_by_id,
    members_of,
    scopes_for_product,
    validate_scope_codes,
)
from dfsp.consent.states import (
    GRANT_TRANSITIONS,
    REQUEST_TRANSITIONS,
    Channel,
    GrantStatus,
    PurposeType,
    RequestStatus,
)
from dfsp.core.crypto import sm3_hmac, sm4_gcm_decrypt, sm4_gcm_encrypt
from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.notifications.services import notify

MAX_VALIDITY = timedelta(days=365)
ENTERPRISE_ADMINS = ("enterprise_admin",)
INSTITUTION_STAFF = ("institution_admin", "institution_user")


def _require(actor, *roles: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_any_role(roles):
        raise AccessDenied()


# --- Scopes and consent templates (operators) ---------------------------------------------------


def save_scope(
    *,
    actor,
    code: str,
    name: str,
    categories: list,
    elements: list,
    months_back: int,
    sensitivity: int,
    description: str = "",
    is_active: bool = True,
    scope: Scope | None = None,
) -> Scope:
    _require(actor, "operator")
    if not categories:
        raise ValidationFailed(field_errors={"categories": [_("Choose at least one data category.")]})
    with transaction.atomic():
        if scope is None:
            if Scope.objects.filter(code=code).exists():
                raise ValidationFailed(field_errors={"code": [_("This code is already used.")]})
            scope = Scope(code=code)
        else:
            scope = Scope.objects.select_for_update().get(pk=scope.pk)
        scope.name, scope.description, scope.is_active = name, description, is_active
        scope.categories, scope.elements = list(categories), list(elements)
        scope.months_back, scope.sensitivity, scope.updated_at = months_back, sensitivity, timezone.now()
        scope.save()
        record_event(
            event_type="consent.scope.saved",
            actor=actor,
            object_type="consent.scope",
            object_id=scope.pk,
            details={"code": scope.code, **scope.definition()},
        )
    return scope


def create_template_version(*, actor, title: str, body: str) -> ConsentTemplate:
    _require(actor, "operator")
    if not evidence.check_body(body):
        raise ValidationFailed(field_errors={"body": [_("Use only the listed {placeholders}.")]})
    with transaction.atomic():
        last = ConsentTemplate.objects.select_for_update().order_by("-version").first()
        template = ConsentTemplate.objects.create(
            version=(last.version + 1) if last else 1, title=title, body=body, created_by=acting_user(actor)
        )
        record_event(
            event_type="consent.template.created",
            actor=actor,
            object_type="consent.template",
            object_id=template.pk,
            details={"version": template.version, "hash": evidence.text_hash(body)},
        )
    return template


# --- Grants (AUTH-5) ---------------------------------------------------------------------------


def _check_purpose(purpose_type: str, purpose_id: str, *, enterprise, institution) -> tuple[str, str]:
    """The cleaned reference and the purpose's label (from the owning app's checker, if any)."""
    if purpose_type not in PurposeType.values:
        raise ValidationFailed(field_errors={"purpose_type": [_("Choose a purpose.")]})
    purpose_id = (purpose_id or "").strip()
    if not purpose_id or len(purpose_id) > 64:
        raise ValidationFailed(field_errors={"purpose_id": [_("Give the reference of the purpose.")]})
    label = purposes.check(purpose_type, purpose_id, enterprise=enterprise, institution=institution)
    return purpose_id, label


def default_valid_until(now: datetime) -> datetime:
    """The default end of a grant: the end of the local day 364 days from today (within one year).

    Fixed for a whole day, so the text shown on preview and the text signed a few minutes later
    name the same date; the grant still ends earlier when its purpose ends."""
    today = timezone.localtime(now).date()
    end = datetime.combine(today + MAX_VALIDITY, datetime.min.time()) - timedelta(seconds=1)
    return timezone.make_aware(end, timezone.get_current_timezone())


def _check_validity(valid_until: datetime | None, now: datetime) -> datetime:
    valid_until = valid_until or default_valid_until(now)
    if valid_until <= now or valid_until > now + MAX_VALIDITY + timedelta(days=1):
        raise ValidationFailed(field_errors={"valid_until": [_("Choose a date within the next year.")]})
    return valid_until


def _check_scopes(scope_codes, product) -> list[str]:
    codes = validate_scope_codes(scope_codes)
    if not codes:
        raise ValidationFailed(field_errors={"scope_codes": [_("Tick each data scope you authorise.")]})
    if product is not None:
        needed = {s.code for s in scopes_for_product(product)}
        if set(codes) - needed:
            # A product's grant covers exactly what the product declared: asking for more is refused.
            raise AccessDenied(_("The product does not need these scopes."), code="consent_scope_escalation")
    return codes


def consent_text(
    *,
    enterprise,
    institution,
    scope_codes,
    purpose_type,
    purpose_id,
    valid_until,
    query_limit,
    template: ConsentTemplate | None = None,
) -> tuple[ConsentTemplate, str]:
    """The full text an enterprise reads before signing (current template version)."""
    template = template or current_template()
    names = dict(Scope.objects.filter(code__in=scope_codes).values_list("code", "name"))
    text = evidence.render_text(
        template.body,
        enterprise=f"{enterprise.name}（{enterprise.uscc}）",
        institution=institution.name,
        scopes="、".join(names.get(c, c) for c in scope_codes),
        purpose=f"{PurposeType(purpose_type).label} {purpose_id}",
        valid_until=timezone.localtime(valid_until).strftime("%Y-%m-%d %H:%M"),
        query_limit=query_limit if query_limit else _("unlimited"),
    )
    return template, text


def preview_grant(
    *,
    actor,
    institution_id,
    scope_codes,
    purpose_type,
    purpose_id,
    valid_until=None,
    query_limit=None,
    product=None,
) -> dict:
    """Everything the signing page shows; ``text_hash`` must come back with the signature."""
    _require(actor, *ENTERPRISE_ADMINS)
    enterprise = acting_organisation(actor)
    institution = institution_by_id(institution_id)
    codes = _check_scopes(scope_codes, product)
    purpose_id, purpose_label = _check_purpose(
        purpose_type, purpose_id, enterprise=enterprise, institution=institution
    )
    valid_until = _check_validity(valid_until, timezone.now())
    template, text = consent_text(
        enterprise=enterprise,
        institution=institution,
        scope_codes=codes,
        purpose_type=purpose_type,
        purpose_id=purpose_id,
        valid_until=valid_until,
        query_limit=query_limit,
    )
    return {
        "template": template,
        "text": text,
        "text_hash": evidence.text_hash(text),
        "valid_until": valid_until,
        "scope_codes": codes,
        "institution": institution,
        "purpose_label": purpose_label,
    }


def grant_consent(
    *,
    actor,
    institution_id,
    scope_codes,
    purpose_type: str,
    purpose_id: str,
    valid_until: datetime | None = None,
    query_limit: int | None = None,
    shown_text_hash: str,
    confirmed: bool,
    ip: str | None = None,
    channel: str = Channel.WEB,
    product=None,
    request: GrantRequest | None = None,
) -> Grant:
    """Sign a grant. ``shown_text_hash`` proves the signer saw exactly the text being signed."""
    _require(actor, *ENTERPRISE_ADMINS)
    user = acting_user(actor)
    if user is None:
        raise AccessDenied(_("A person must sign a grant."))
    if not confirmed:
        raise ValidationFailed(field_errors={"confirmed": [_("Confirm that you have read the text.")]})
    if query_limit is not None and query_limit < 1:
        raise ValidationFailed(field_errors={"query_limit": [_("Leave empty or give at least 1.")]})
    enterprise = acting_organisation(actor)
    if enterprise is None or enterprise.kind != "enterprise":
        raise AccessDenied()
    institution = institution_by_id(institution_id)
    codes = _check_scopes(scope_codes, product)
    purpose_id, purpose_label = _check_purpose(
        purpose_type, purpose_id, enterprise=enterprise, institution=institution
    )
    now = timezone.now()
    valid_until = _check_validity(valid_until, now)
    with transaction.atomic():
        template, text = consent_text(
            enterprise=enterprise,
            institution=institution,
            scope_codes=codes,
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            valid_until=valid_until,
            query_limit=query_limit,
        )
        if evidence.text_hash(text) != shown_text_hash:
            raise ValidationFailed(
                _("The consent text has changed; read it again before signing."), code="consent_text_changed"
            )
        snapshot = {s.code: s.definition() for s in Scope.objects.filter(code__in=codes)}
        grant = Grant(
            enterprise=enterprise,
            uscc=enterprise.uscc,
            institution=institution,
            scope_codes=codes,
            scope_snapshot=snapshot,
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            purpose_label=purpose_label,
            valid_from=now,
            valid_until=valid_until,
            query_limit=query_limit,
            template=template,
            text=text,
            text_hash=evidence.text_hash(text),
            signed_by=user,
            signed_at=now,
            signer_ip=ip or None,
            channel=channel,
            request=request,
        )
        grant.signature = evidence.sign(grant)
        grant.save()
        record_event(
            event_type="consent.grant.signed",
            actor=actor,
            organisation=enterprise,
            object_type="consent.grant",
            object_id=grant.pk,
            details={
                "institution": institution.pk,
                "scopes": codes,
                "purpose": purpose_type,
                "template_version": template.version,
                "text_hash": grant.text_hash,
            },
        )
        notify(
            recipients=members_of(institution, INSTITUTION_STAFF),
            category="consent",
            title=_("Data authorisation granted"),
            body=_("%(ent)s authorised: %(scopes)s") % {"ent": enterprise.name, "scopes": ", ".join(codes)},
            link="/consent/institution/",
        )
    return grant


def verify_grant_evidence(grant: Grant) -> bool:
    """True when the stored text, its hash and the platform's SM2 signature all agree."""
    return evidence.verify(grant)


def _end(grant: Grant, *, status: str, by=None, reason: str = "", now=None) -> None:
    ensure_transition(grant.status, status, GRANT_TRANSITIONS)
    grant.status, grant.ended_at, grant.ended_by, grant.end_reason = (
        status,
        now or timezone.now(),
        by,
        reason[:200],
    )
    grant.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])


def withdraw_grant(*, actor, grant_id) -> Grant:
    """One action, effective for the very next read (the gate locks the same row)."""
    _require(actor, *ENTERPRISE_ADMINS)
    visible = get_grant_for(actor, grant_id)
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=visible.pk)
        _end(grant, status=GrantStatus.WITHDRAWN, by=acting_user(actor), reason="withdrawn by the enterprise")
        record_event(
            event_type="consent.grant.withdrawn", actor=actor, object_type="consent.grant", object_id=grant.pk
        )
        notify(
            recipients=members_of(grant.institution, INSTITUTION_STAFF),
            category="consent",
            title=_("Data authorisation withdrawn"),
            body=_("%(ent)s withdrew grant #%(id)s.") % {"ent": grant.enterprise.name, "id": grant.pk},
            link="/consent/institution/",
        )
    return grant


def expire_grants(*, now=None) -> int:
    """Mark active grants past valid_until as expired (the gate refuses them already)."""
    now = now or timezone.now()
    count = 0
    for pk in Grant.objects.filter(status=GrantStatus.ACTIVE, valid_until__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            grant = Grant.objects.select_for_update().get(pk=pk)
            if grant.status != GrantStatus.ACTIVE:
                continue
            _end(grant, status=GrantStatus.EXPIRED, reason="valid_until passed", now=now)
            record_event(event_type="consent.grant.expired", object_type="consent.grant", object_id=pk)
            count += 1
    return count


def end_grants_for_purpose(*, purpose_type: str, purpose_id: str, reason: str = "") -> int:
    """End every active grant (and cancel pending requests) tied to a purpose that has ended."""
    purpose_id = str(purpose_id)
    count = 0
    with transaction.atomic():
        for grant in Grant.objects.select_for_update().filter(
            purpose_type=purpose_type, purpose_id=purpose_id, status=GrantStatus.ACTIVE
        ):
            _end(grant, status=GrantStatus.ENDED, reason=reason or "purpose ended")
            record_event(
                event_type="consent.grant.ended",
                object_type="consent.grant",
                object_id=grant.pk,
                details={"purpose": purpose_type, "purpose_id": purpose_id},
            )
            count += 1
        for req in GrantRequest.objects.select_for_update().filter(
            purpose_type=purpose_type, purpose_id=purpose_id, status=RequestStatus.PENDING
        ):
            req.status, req.decided_at = RequestStatus.CANCELLED, timezone.now()
            req.save(update_fields=["status", "decided_at"])
    return count


# --- Requests from institutions ----------------------------------------------------------------


def request_grant(
    *,
    actor,
    uscc: str,
    scope_codes,
    purpose_type: str,
    purpose_id: str,
    reason: str,
    query_limit: int | None = None,
    valid_until: datetime | None = None,
    product=None,
) -> GrantRequest:
    _require(actor, *INSTITUTION_STAFF)
    institution = acting_organisation(actor)
    if institution is None or institution.kind != "institution":
        raise AccessDenied()
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise ValidationFailed(field_errors={"uscc": [_("No registered enterprise has this code.")]})
    codes = _check_scopes(scope_codes, product)
    purpose_id, _label = _check_purpose(
        purpose_type, purpose_id, enterprise=enterprise, institution=institution
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": [_("Say why you need the data.")]})
    if valid_until is not None:
        _check_validity(valid_until, timezone.now())
    with transaction.atomic():
        req = GrantRequest.objects.create(
            enterprise=enterprise,
            uscc=enterprise.uscc,
            institution=institution,
            scope_codes=codes,
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            reason=reason[:300],
            query_limit=query_limit,
            valid_until=valid_until,
            requested_by=acting_user(actor),
        )
        record_event(
            event_type="consent.request.created",
            actor=acting_user(actor),
            organisation=institution,
            object_type="consent.request",
            object_id=req.pk,
            details={"scopes": codes},
        )
        notify(
            recipients=members_of(enterprise, ENTERPRISE_ADMINS),
            category="consent",
            title=_("A financial institution asks for data authorisation"),
            body=_("%(inst)s asks for: %(scopes)s") % {"inst": institution.name, "scopes": ", ".join(codes)},
            link="/consent/",
        )
    return req


def accept_request(
    *,
    actor,
    request_id,
    scope_codes,
    shown_text_hash: str,
    confirmed: bool,
    ip: str | None = None,
    channel: str = Channel.WEB,
) -> Grant:
    """The enterprise ticks (some of) the requested scopes itself and signs; never more than asked."""
    _require(actor, *ENTERPRISE_ADMINS)
    visible = get_request_for(actor, request_id)
    with transaction.atomic():
        req = GrantRequest.objects.select_for_update().get(pk=visible.pk)
        ensure_transition(req.status, RequestStatus.ACCEPTED, REQUEST_TRANSITIONS)
        if set(validate_scope_codes(scope_codes)) - set(req.scope_codes):
            raise AccessDenied(
                _("Only the requested scopes can be granted."), code="consent_scope_escalation"
            )
        grant = grant_consent(
            actor=actor,
            institution_id=req.institution_id,
            scope_codes=scope_codes,
            purpose_type=req.purpose_type,
            purpose_id=req.purpose_id,
            valid_until=req.valid_until,
            query_limit=req.query_limit,
            shown_text_hash=shown_text_hash,
            confirmed=confirmed,
            ip=ip,
            channel=channel,
            request=req,
        )
        req.status, req.decided_by, req.decided_at = (
            RequestStatus.ACCEPTED,
            acting_user(actor),
            timezone.now(),
        )
        req.save(update_fields=["status", "decided_by", "decided_at"])
    return grant


def decline_request(*, actor, request_id, reason: str = "") -> GrantRequest:
    _require(actor, *ENTERPRISE_ADMINS)
    visible = get_request_for(actor, request_id)
    with transaction.atomic():
        req = GrantRequest.objects.select_for_update().get(pk=visible.pk)
        ensure_transition(req.status, RequestStatus.DECLINED, REQUEST_TRANSITIONS)
        req.status, req.decided_by, req.decided_at = (
            RequestStatus.DECLINED,
            acting_user(actor),
            timezone.now(),
        )
        req.decline_reason = (reason or "")[:300]
        req.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        record_event(
            event_type="consent.request.declined",
            actor=actor,
            object_type="consent.request",
            object_id=req.pk,
        )
        notify(
            recipients=members_of(req.institution, INSTITUTION_STAFF),
            category="consent",
            title=_("Data authorisation request declined"),
            body=_("%(ent)s declined request #%(id)s.") % {"ent": req.enterprise.name, "id": req.pk},
            link="/consent/institution/",
        )
    return req


# --- Request-signing secrets of API keys -------------------------------------------------------


def _secret_storage_key() -> bytes:
    return sm3_hmac(settings.SECRET_KEY.encode(), b"dfsp.consent.signing-secret.v1")[:16]


def issue_signing_secret(*, actor, api_key) -> str:
    """A new random signing secret for one of the institution's API keys, shown once (hex)."""
    _require(actor, "institution_admin")
    if api_key.organisation_id != getattr(acting_organisation(actor), "pk", None) or api_key.revoked_at:
        raise AccessDenied()
    secret = os.urandom(32)
    blob = sm4_gcm_encrypt(_secret_storage_key(), secret, api_key.prefix.encode())
    with transaction.atomic():
        SigningSecret.objects.update_or_create(
            api_key_prefix=api_key.prefix,
            defaults={
                "organisation_id": api_key.organisation_id,
                "secret_encrypted": blob,
                "created_at": timezone.now(),
            },
        )
        record_event(
            event_type="consent.signing_secret.issued",
            actor=actor,
            object_type="accounts.apikey",
            object_id=api_key.prefix,
        )
    return secret.hex()


def signing_secret_of(prefix: str) -> bytes | None:
    row = SigningSecret.objects.filter(api_key_prefix=prefix).first()
    if row is None:
        return None
    return sm4_gcm_decrypt(_secret_storage_key(), bytes(row.secret_encrypted), prefix.encode())
