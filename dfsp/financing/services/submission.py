"""Submitting a loan application together with the data grant the product declares."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.consent import services as consent_services
from dfsp.core.errors import AccessDenied
from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.financing import errors, recipients
from dfsp.financing.models import (
    Application,
    ApplicationEvent,
    ApplicationNumber,
    Demand,
)
from dfsp.financing.services import timing
from dfsp.financing.services.common import (
    CONSENT_VALIDITY,
    NUMBER_REUSE_WINDOW,
    PURPOSE,
    TEN_THOUSAND,
    audit,
    check_materials,
    clean_amount,
    clean_term,
    enterprise_actor,
    live_product,
    notify_people,
    store_materials,
    timing_fields,
    to_int,
)
from dfsp.financing.states import (
    OPEN_APPLICATION_STATES,
    ApplicationStatus,
)
from dfsp.institutions import services as institution_services

A = ApplicationStatus


# --- submit --------------------------------------------------------------------------------------


def _number_for(enterprise, product, now) -> ApplicationNumber:
    used = Application.objects.filter(enterprise=enterprise).values("pk")
    number = (
        ApplicationNumber.objects.filter(
            enterprise=enterprise, product=product, created_at__gte=now - NUMBER_REUSE_WINDOW
        )
        .exclude(pk__in=used)
        .order_by("-pk")
        .first()
    )
    if number is None:
        valid_until = (now + CONSENT_VALIDITY).replace(second=0, microsecond=0)
        number = ApplicationNumber.objects.create(
            enterprise=enterprise, product=product, consent_valid_until=valid_until, created_at=now
        )
    return number


def preview_application(*, actor, product_id) -> dict:
    """What the apply form shows: the application number and, when the product declares data
    scopes, the exact consent text (and its hash) the enterprise signs with the application."""
    who = enterprise_actor(actor)
    enterprise_selectors.ensure_certified(who.organisation)
    product = live_product(product_id)
    scopes = list(product.data_scopes or [])
    if scopes and not actor.has_role(Role.ENTERPRISE_ADMIN):
        raise AccessDenied(
            _("This product needs a data authorisation that only the enterprise administrator can sign."),
            code=errors.CONSENT_SIGNER_REQUIRED,
        )
    number = _number_for(who.organisation, product, timezone.now())
    preview = {"number": number.pk, "product": product, "scopes": scopes, "text": "", "text_hash": ""}
    if scopes:
        shown = consent_services.preview_grant(
            actor=actor,
            institution_id=product.organisation_id,
            scope_codes=scopes,
            purpose_type=PURPOSE,
            purpose_id=str(number.pk),
            valid_until=number.consent_valid_until,
            product=product,
        )
        preview.update(text=shown["text"], text_hash=shown["text_hash"], valid_until=shown["valid_until"])
    return preview


def _own_demand(who, demand_id):
    if demand_id in (None, ""):
        return None
    demand = Demand.objects.filter(pk=demand_id, organisation=who.organisation).first()
    if demand is None:
        raise errors.invalid("demand_id", _("Link one of your own financing demands."))
    return demand


def _own_previous(who, previous_id, product):
    if previous_id in (None, ""):
        return None
    previous = Application.objects.filter(
        pk=previous_id, enterprise=who.organisation, status__in=[A.REJECTED, A.WITHDRAWN]
    ).first()
    if previous is None:
        raise errors.invalid(
            "previous_id", _("Re-apply from one of your rejected or withdrawn applications.")
        )
    return previous


def submit_application(
    *,
    actor,
    product_id,
    amount,
    term_months,
    purpose,
    materials=(),
    shown_text_hash: str = "",
    confirmed: bool = False,
    number=None,
    demand_id=None,
    previous_id=None,
    ip: str | None = None,
) -> Application:
    """A certified enterprise applies to a live product and, in the same step, grants the product's
    declared data scopes to the institution for this application (``number`` and
    ``shown_text_hash`` come from ``preview_application``)."""
    who = enterprise_actor(actor)
    enterprise = who.organisation
    enterprise_selectors.ensure_certified(enterprise)
    product = live_product(product_id)
    amount = clean_amount(
        amount, low=product.amount_min * TEN_THOUSAND, high=product.amount_max * TEN_THOUSAND
    )
    term = clean_term(term_months, product)
    purpose = (purpose or "").strip()
    if not purpose:
        raise errors.invalid("purpose", _("Describe what the loan is for."))
    checked = check_materials(materials)
    demand = _own_demand(who, demand_id)
    previous = _own_previous(who, previous_id, product)
    scopes = list(product.data_scopes or [])
    if scopes and not confirmed:
        raise errors.invalid("confirmed", _("Confirm that you have read and agree to the authorisation."))
    if Application.objects.filter(
        enterprise=enterprise, product=product, status__in=OPEN_APPLICATION_STATES
    ).exists():
        raise errors.duplicate_open_application()
    now = timezone.now()
    with transaction.atomic():
        reserved = _reserved_number(enterprise, product, number, required=bool(scopes), now=now)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    pk=reserved.pk,
                    enterprise=enterprise,
                    institution=product.organisation,
                    product=product,
                    demand=demand,
                    previous=previous,
                    applicant=who.user,
                    enterprise_name=enterprise.name,
                    uscc=enterprise.uscc or "",
                    product_name=product.name,
                    amount=amount,
                    term_months=term,
                    purpose=purpose[:2000],
                    submitted_at=now,
                )
        except IntegrityError:
            raise errors.duplicate_open_application() from None
        if scopes:
            grant = consent_services.grant_consent(
                actor=actor,
                institution_id=product.organisation_id,
                scope_codes=scopes,
                purpose_type=PURPOSE,
                purpose_id=str(application.pk),
                valid_until=reserved.consent_valid_until,
                shown_text_hash=shown_text_hash,
                confirmed=bool(confirmed),
                ip=ip,
                product=product,
            )
            application.consent_grant_id = grant.pk
        timing.start_step(application, now)
        application.save(update_fields=["consent_grant_id", *timing_fields()])
        store_materials(application, checked, who.user)
        ApplicationEvent.objects.create(
            application=application,
            action="submitted",
            to_status=A.SUBMITTED,
            actor=who.user,
            organisation=enterprise,
            details={"demand": demand.pk if demand else None, "previous": previous.pk if previous else None},
            created_at=now,
        )
        _link_invitation(application, demand, product)
        institution_services.count_application(product_id=product.pk)
        audit(
            "financing.application.submitted",
            who,
            application,
            {"product": product.pk, "amount": str(amount), "grant": application.consent_grant_id},
        )
        notify_people(
            recipients.institution_users(product.organisation),
            _("New loan application: %(name)s") % {"name": enterprise.name},
            _("%(product)s · %(amount)s yuan, %(term)d months")
            % {"product": product.name, "amount": amount, "term": term},
            application,
        )
    return application


def _reserved_number(enterprise, product, number, *, required: bool, now) -> ApplicationNumber:
    if number in (None, ""):
        if required:
            raise errors.invalid(
                "number",
                _("Reload the form and read the authorisation text again."),
                errors.APPLICATION_NUMBER_INVALID,
            )
        return _number_for(enterprise, product, now)
    reserved = (
        ApplicationNumber.objects.select_for_update()
        .filter(pk=to_int(number), enterprise=enterprise, product=product)
        .first()
    )
    if reserved is None or Application.objects.filter(pk=reserved.pk).exists():
        raise errors.invalid(
            "number",
            _("Reload the form and read the authorisation text again."),
            errors.APPLICATION_NUMBER_INVALID,
        )
    return reserved


def _link_invitation(application, demand, product) -> None:
    if demand is None:
        return
    from dfsp.financing.models import ApplicationInvitation

    ApplicationInvitation.objects.filter(demand=demand, product=product, application__isnull=True).update(
        application=application
    )
