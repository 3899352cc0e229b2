"""Writes for financing demands: publish, review, take (接单), reveal contact, favourites, expiry.

Actors are Users (pages) or ApiCallers (API, possibly an API key without a person); permission
checks use the roles both expose, so pages and API agree.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, OrganisationKind, Role
from dfsp.audit.services import record_event
from dfsp.consent import services as consent_services
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.financing import recipients
from dfsp.financing.actors import Acting, acting
from dfsp.financing.models import Demand, DemandEvent, DemandFavourite, DemandReveal
from dfsp.financing.states import ALLOWED_TRANSITIONS, DemandStatus, Guarantee, Urgency

CATEGORY = "financing.demand"
MAX_AMOUNT = Decimal("10000000000")  # 100 亿元
MAX_RATE = Decimal("36")
MAX_VALIDITY_DAYS = 365
PURPOSE = "demand"  # consent purpose type of grants given for a demand


def _link(demand) -> str:
    return f"/financing/demands/{demand.pk}/"


def _notify(users, title, body, demand):
    from dfsp.notifications.services import notify

    notify(recipients=users, category=CATEGORY, title=title, body=body, link=_link(demand))


def _audit(event_type, who, demand, details=None):
    record_event(
        event_type=event_type,
        actor=who.user,
        organisation=who.organisation,
        role="api_key" if who.api_key_prefix else "",
        object_type="financing.Demand",
        object_id=str(demand.pk),
        details={**({"api_key": who.api_key_prefix} if who.api_key_prefix else {}), **(details or {})},
    )


def _move(demand, target, who, *, event_type, comment="", details=None):
    ensure_transition(demand.status, target, ALLOWED_TRANSITIONS)
    previous = demand.status
    demand.status = target
    DemandEvent.objects.create(
        demand=demand,
        from_status=previous,
        to_status=target,
        actor=who.user,
        organisation=who.organisation,
        comment=comment,
    )
    _audit(event_type, who, demand, {"from": previous, "to": target, **(details or {})})


def _end_grants(demand, reason: str) -> None:
    """Data grants (and pending grant requests) given for a demand end with it (same transaction)."""
    consent_services.end_grants_for_purpose(purpose_type=PURPOSE, purpose_id=str(demand.pk), reason=reason)


def _locked(demand_id) -> Demand:
    try:
        return Demand.objects.select_for_update().select_related("organisation").get(pk=demand_id)
    except (Demand.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _clean_demand(data: dict) -> dict:
    errors = {}
    cleaned = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the demand a title.")
    cleaned["title"] = title[:100]
    try:
        amount = Decimal(str(data.get("amount"))).quantize(Decimal("0.01"))
        if not (Decimal("0") < amount <= MAX_AMOUNT):
            raise InvalidOperation
        cleaned["amount"] = amount
    except (InvalidOperation, ValueError, TypeError):
        errors["amount"] = _("Enter an amount above zero and at most 10 billion yuan.")
    try:
        term = int(data.get("term_months"))
        if not 1 <= term <= 360:
            raise ValueError
        cleaned["term_months"] = term
    except (ValueError, TypeError):
        errors["term_months"] = _("Enter a term between 1 and 360 months.")
    try:
        rate = Decimal(str(data.get("acceptable_rate"))).quantize(Decimal("0.01"))
        if not (Decimal("0") < rate <= MAX_RATE):
            raise InvalidOperation
        cleaned["acceptable_rate"] = rate
    except (InvalidOperation, ValueError, TypeError):
        errors["acceptable_rate"] = _("Enter an annual rate above 0% and at most 36%.")
    purpose = str(data.get("purpose") or "").strip()
    if not purpose:
        errors["purpose"] = _("Describe what the money is for.")
    cleaned["purpose"] = purpose[:2000]
    if data.get("guarantee") not in Guarantee.values:
        errors["guarantee"] = _("Choose the guarantee offered.")
    cleaned["guarantee"] = data.get("guarantee")
    if data.get("urgency") not in Urgency.values:
        errors["urgency"] = _("Choose the urgency.")
    cleaned["urgency"] = data.get("urgency")
    valid_until = data.get("valid_until")
    today = timezone.localdate()
    if valid_until is None or not (today < valid_until <= today + timedelta(days=MAX_VALIDITY_DAYS)):
        errors["valid_until"] = _("The validity must end after today and within a year.")
    cleaned["valid_until"] = valid_until
    cleaned["contact_name"] = str(data.get("contact_name") or "").strip()[:60]
    if not cleaned["contact_name"]:
        errors["contact_name"] = _("The contact person is required.")
    mobile = str(data.get("contact_mobile") or "").strip()
    if not (len(mobile) == 11 and mobile.isdigit() and mobile[0] == "1"):
        errors["contact_mobile"] = _("Enter an 11-digit mainland mobile number.")
    cleaned["contact_mobile"] = mobile
    if errors:
        raise ValidationFailed(field_errors=errors)
    return cleaned


def publish_demand(*, actor, **data) -> Demand:
    """A certified enterprise publishes a demand; it waits for an operator's review."""
    who = acting(actor)
    if who.user is None or not actor.has_any_role(ENTERPRISE_ROLES) or who.organisation is None:
        raise AccessDenied(_("Only enterprises publish financing demands."), code="not_enterprise")
    enterprise_selectors.ensure_certified(who.organisation)
    cleaned = _clean_demand(data)
    profile = enterprise_selectors.profile_of(who.organisation)
    with transaction.atomic():
        demand = Demand.objects.create(
            organisation=who.organisation,
            created_by=who.user,
            region_code=who.organisation.region_code,
            industry=profile.industry if profile else "C",
            scale=profile.scale if profile else "small",
            **cleaned,
        )
        DemandEvent.objects.create(
            demand=demand,
            to_status=DemandStatus.PENDING_REVIEW,
            actor=who.user,
            organisation=who.organisation,
        )
        _audit("financing.demand.published", who, demand, {"amount": str(demand.amount)})
        _notify(
            recipients.operators(),
            _("Financing demand waiting for review: %(name)s") % {"name": who.organisation.name},
            demand.title,
            demand,
        )
    return demand


def _require_operator(actor):
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied(_("Only platform operators review demands."), code="not_operator")


def approve_demand(*, reviewer, demand_id, comment: str = "") -> Demand:
    _require_operator(reviewer)
    who = acting(reviewer)
    with transaction.atomic():
        demand = _locked(demand_id)
        ensure_transition(demand.status, DemandStatus.LIVE, ALLOWED_TRANSITIONS)
        if demand.valid_until < timezone.localdate():
            raise Conflict(_("The demand's validity has already ended."), code="demand_expired")
        _move(demand, DemandStatus.LIVE, who, event_type="financing.demand.approved", comment=comment)
        now = timezone.now()
        demand.reviewed_by, demand.reviewed_at, demand.published_at = reviewer, now, now
        demand.review_reason = comment.strip()
        demand.save(update_fields=["status", "reviewed_by", "reviewed_at", "published_at", "review_reason"])
        _notify(
            recipients.enterprise_people(demand.organisation),
            _("Your financing demand is live"),
            demand.title,
            demand,
        )
        _notify(
            recipients.institution_users(),
            _("New financing demand: %(title)s") % {"title": demand.title},
            _("%(amount)s yuan, %(term)d months") % {"amount": demand.amount, "term": demand.term_months},
            demand,
        )
    return demand


def reject_demand(*, reviewer, demand_id, reason: str) -> Demand:
    _require_operator(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": _("Give a reason the enterprise will see.")})
    who = acting(reviewer)
    with transaction.atomic():
        demand = _locked(demand_id)
        _move(demand, DemandStatus.REJECTED, who, event_type="financing.demand.rejected", comment=reason)
        demand.reviewed_by, demand.reviewed_at, demand.review_reason = reviewer, timezone.now(), reason
        demand.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
        _end_grants(demand, "demand rejected")
        _notify(
            recipients.enterprise_people(demand.organisation),
            _("Your financing demand was rejected"),
            reason,
            demand,
        )
    return demand


def _own_enterprise_demand(actor, demand_id) -> tuple:
    who = acting(actor)
    if who.user is None or not actor.has_any_role(ENTERPRISE_ROLES):
        raise NotFound()
    demand = _locked(demand_id)
    if demand.organisation_id != getattr(who.organisation, "pk", None):
        raise NotFound()
    return who, demand


def withdraw_demand(*, actor, demand_id) -> Demand:
    with transaction.atomic():
        who, demand = _own_enterprise_demand(actor, demand_id)
        _move(demand, DemandStatus.WITHDRAWN, who, event_type="financing.demand.withdrawn")
        demand.save(update_fields=["status"])
        _end_grants(demand, "demand withdrawn")
        savers = [favourite.user for favourite in demand.favourites.select_related("user")]
        if savers:
            _notify(savers, _("A demand you saved was withdrawn"), demand.title, demand)
    return demand


def _institution(actor):
    who = acting(actor)
    organisation = who.organisation
    if (
        not actor.has_any_role(INSTITUTION_ROLES)
        or organisation is None
        or organisation.kind != OrganisationKind.INSTITUTION
    ):
        raise AccessDenied(_("Only financial institutions can do this."), code="not_institution")
    return who


def take_demand(*, actor, demand_id) -> Demand:
    """An institution takes a live demand (接单); the enterprise is told who took it."""
    who = _institution(actor)
    with transaction.atomic():
        demand = _locked(demand_id)
        if demand.status == DemandStatus.TAKEN:
            raise Conflict(_("This demand has already been taken."), code="demand_already_taken")
        if demand.status in (DemandStatus.PENDING_REVIEW, DemandStatus.REJECTED):
            raise NotFound()  # never shown to institutions: it does not exist for them
        if demand.status != DemandStatus.LIVE:
            raise Conflict(_("This demand is no longer live."), code="demand_not_live")
        if demand.valid_until < timezone.localdate():
            raise Conflict(_("The demand's validity has ended."), code="demand_expired")
        _move(demand, DemandStatus.TAKEN, who, event_type="financing.demand.taken")
        demand.taken_by_organisation, demand.taken_by_user, demand.taken_at = (
            who.organisation,
            who.user,
            timezone.now(),
        )
        demand.save(update_fields=["status", "taken_by_organisation", "taken_by_user", "taken_at"])
        taker = who.organisation.name
        if who.user is not None:
            taker = f"{taker}（{who.user}）"
        _notify(
            recipients.enterprise_people(demand.organisation),
            _("Your financing demand was taken by %(taker)s") % {"taker": taker},
            _("Reveal your contact details to them on the demand page so they can reach you."),
            demand,
        )
    return demand


def reveal_contact(*, actor, demand_id, institution_id) -> DemandReveal:
    """The enterprise shows its contact details to one interested institution (audited)."""
    with transaction.atomic():
        who, demand = _own_enterprise_demand(actor, demand_id)
        interested = _interested_institutions(demand)
        institution = interested.get(_int(institution_id))
        if institution is None:
            raise ValidationFailed(
                field_errors={"institution": _("Choose an institution that took or saved this demand.")}
            )
        try:
            with transaction.atomic():
                reveal = DemandReveal.objects.create(
                    demand=demand, institution=institution, revealed_by=who.user
                )
        except IntegrityError:
            raise Conflict(_("Already shown to this institution."), code="already_revealed") from None
        _audit("financing.demand.contact_revealed", who, demand, {"institution": institution.pk})
        people = [
            user
            for user in recipients.institution_users(institution)
            if user.pk == demand.taken_by_user_id or demand.favourites.filter(user=user).exists()
        ] or recipients.institution_users(institution)
        _notify(
            people,
            _("Contact details shared: %(name)s") % {"name": demand.organisation.name},
            demand.title,
            demand,
        )
    return reveal


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _interested_institutions(demand) -> dict:
    found = {}
    if demand.taken_by_organisation_id:
        found[demand.taken_by_organisation_id] = demand.taken_by_organisation
    for favourite in demand.favourites.select_related("institution"):
        found.setdefault(favourite.institution_id, favourite.institution)
    return found


def favourite_demand(*, actor, demand_id) -> DemandFavourite:
    who = _institution(actor)
    if who.user is None:
        raise AccessDenied(_("Favourites belong to people, not API keys."), code="not_a_person")
    with transaction.atomic():
        try:
            demand = Demand.objects.get(pk=demand_id, status=DemandStatus.LIVE)
        except (Demand.DoesNotExist, ValueError, TypeError):
            raise NotFound() from None
        favourite, created = DemandFavourite.objects.get_or_create(
            user=who.user, demand=demand, defaults={"institution": who.organisation}
        )
        if created:
            _audit("financing.demand.favourited", who, demand)
    return favourite


def unfavourite_demand(*, actor, demand_id) -> None:
    who = acting(actor)
    if who.user is None:
        raise NotFound()
    with transaction.atomic():
        deleted, _rows = DemandFavourite.objects.filter(user=who.user, demand_id=_int(demand_id)).delete()
        if not deleted:
            raise NotFound()


def expire_demands(*, today=None) -> int:
    """Live or pending demands past their validity expire; the enterprise is told (scheduled job)."""
    today = today or timezone.localdate()
    expired = 0
    job = Acting(user=None, organisation=None)  # the scheduled job acts for no one
    for demand_id in Demand.objects.filter(
        status__in=[DemandStatus.LIVE, DemandStatus.PENDING_REVIEW], valid_until__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            demand = _locked(demand_id)
            if (
                demand.status not in (DemandStatus.LIVE, DemandStatus.PENDING_REVIEW)
                or demand.valid_until >= today
            ):
                continue
            _move(demand, DemandStatus.EXPIRED, job, event_type="financing.demand.expired")
            demand.save(update_fields=["status"])
            _end_grants(demand, "demand expired")
            _notify(
                recipients.enterprise_people(demand.organisation),
                _("Your financing demand has expired"),
                demand.title,
                demand,
            )
        expired += 1
    return expired


def record_demand_denial(*, actor, demand_id, action: str) -> None:
    """A refused attempt on someone else's (or no) demand is audited; the caller answers 404."""
    who = acting(actor)
    with transaction.atomic():
        record_event(
            event_type="financing.demand.denied",
            actor=who.user,
            organisation=who.organisation,
            outcome="denied",
            object_type="financing.Demand",
            object_id=str(demand_id)[:40],
            details={"action": action},
        )
