"""Writes of the institutions module: onboarding, branches and officers, products and their
revisions, favourites and the ranking setup. One transaction each, audit row inside."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts import services as account_services
from dfsp.accounts.roles import INSTITUTION_ROLES, InstitutionSubtype, OrganisationKind, Role
from dfsp.accounts.selectors import get_user_for, organisation_of
from dfsp.audit.services import audited_refusal, record_event
from dfsp.core.api_auth import ApiCaller
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from dfsp.core.regions import HEILONGJIANG_DIVISIONS
from dfsp.core.transitions import ensure_transition
from dfsp.institutions import ranking
from dfsp.institutions.content import FIELDS, clean_content, ensure_complete
from dfsp.institutions.models import (
    Branch,
    Favourite,
    InstitutionProfile,
    InstitutionType,
    OfficerBranch,
    Product,
    ProductEvent,
    ProductFacet,
    ProductRevision,
    RankingConfig,
)
from dfsp.institutions.states import (
    APPROVED_STATES,
    PRODUCT_TRANSITIONS,
    REVISION_TRANSITIONS,
    ProductStatus,
    RevisionStatus,
)
from dfsp.notifications.services import notify

# --- Actors --------------------------------------------------------------------------------------


def acting_organisation(actor):
    return actor.organisation if isinstance(actor, ApiCaller) else organisation_of(actor)


def _person(actor):
    return actor.user if isinstance(actor, ApiCaller) else actor


def _institution_of(actor):
    """The institution an institution user (or API key) acts for."""
    organisation = acting_organisation(actor)
    if (
        not actor.has_any_role(INSTITUTION_ROLES)
        or organisation is None
        or organisation.kind != OrganisationKind.INSTITUTION
    ):
        raise AccessDenied()
    return organisation


def _require_operator(actor) -> None:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied()


def _audit(event_type, actor, organisation, obj, details=None):
    details = dict(details or {})
    if isinstance(actor, ApiCaller) and actor.api_key is not None:
        details["api_key"] = actor.api_key.prefix
    record_event(
        event_type=event_type,
        actor=_person(actor),
        organisation=organisation,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        details=details,
    )


def _institution_admins(organisation):
    return list(
        get_user_model().objects.filter(
            memberships__organisation=organisation, memberships__role=Role.INSTITUTION_ADMIN, is_active=True
        )
    )


# --- Onboarding, branches, officers ---------------------------------------------------------------


@audited_refusal("institutions.onboarding.refused", object_type="institutionprofile")
def onboard_institution(
    *,
    actor,
    name: str,
    institution_subtype: str,
    region_code: str,
    institution_type: str,
    licence_number: str,
    contact_name: str,
    contact_phone: str,
    admin_username: str,
    admin_full_name: str,
    admin_mobile: str | None = None,
    uscc: str = "",
    short_name: str = "",
    is_branch: bool = False,
    parent_id: int | None = None,
    parent_name: str = "",
    service_regions: list[str] | None = None,
    address: str = "",
):
    """An operator registers an institution, its profile and its administrator (one-time password)."""
    _require_operator(actor)
    errors = {}
    if institution_type not in InstitutionType.values:
        errors["institution_type"] = _("Choose a valid institution type.")
    if institution_subtype not in InstitutionSubtype.values:
        errors["institution_subtype"] = _("Choose a valid subtype.")
    regions = sorted(set(service_regions or []))
    if not regions or any(code not in HEILONGJIANG_DIVISIONS for code in regions):
        errors["service_regions"] = _("Choose at least one valid GB/T 2260 division code.")
    if not contact_name.strip():
        errors["contact_name"] = _("The contact person is required.")
    if not contact_phone.strip():
        errors["contact_phone"] = _("The contact phone is required.")
    parent = None
    if parent_id:
        parent = InstitutionProfile.objects.filter(pk=parent_id).first()
        if parent is None:
            errors["parent_id"] = _("Choose an existing institution.")
    if parent is not None and not is_branch:
        errors["parent_id"] = _("Only a branch has a parent institution.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        organisation, admin, password = account_services.onboard_institution(
            actor=actor,
            name=name,
            institution_subtype=institution_subtype,
            region_code=region_code,
            uscc=uscc,
            short_name=short_name,
            admin_username=admin_username,
            admin_full_name=admin_full_name,
            admin_mobile=admin_mobile or None,
        )
        profile = InstitutionProfile.objects.create(
            organisation=organisation,
            institution_type=institution_type,
            licence_number=licence_number.strip(),
            is_branch=is_branch,
            parent=parent,
            parent_name=parent_name.strip(),
            service_regions=regions,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            address=address.strip(),
        )
        _audit(
            "institutions.profile.created", actor, organisation, profile, {"licence": profile.licence_number}
        )
    return profile, admin, password


def _require_institution_admin(actor):
    organisation = _institution_of(actor)
    if not actor.has_role(Role.INSTITUTION_ADMIN):
        raise AccessDenied()
    return organisation


@audited_refusal("institutions.branch.create_refused", object_type="branch")
def create_branch(*, actor, name: str, region_code: str, address: str = "", phone: str = "") -> Branch:
    organisation = _require_institution_admin(actor)
    errors = {}
    if not name.strip():
        errors["name"] = _("The name is required.")
    if region_code not in HEILONGJIANG_DIVISIONS:
        errors["region_code"] = _("Choose a valid GB/T 2260 division code.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        if Branch.objects.filter(organisation=organisation, name=name.strip()).exists():
            raise Conflict(_("A branch with this name already exists."), code="branch_exists")
        branch = Branch.objects.create(
            organisation=organisation,
            name=name.strip(),
            region_code=region_code,
            address=address,
            phone=phone,
        )
        _audit("institutions.branch.created", actor, organisation, branch, {"name": branch.name})
    return branch


def _own_branch(organisation, branch_id) -> Branch:
    try:
        return Branch.objects.get(organisation=organisation, pk=branch_id)
    except (Branch.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@audited_refusal("institutions.officer.add_refused", object_type="user")
def add_officer(*, actor, username: str, full_name: str, mobile: str | None, branch_id: int | None = None):
    """The institution admin adds a loan officer (one-time password), optionally at a branch."""
    organisation = _require_institution_admin(actor)
    branch = _own_branch(organisation, branch_id) if branch_id else None
    with transaction.atomic():
        user, password = account_services.add_member(
            actor=actor,
            username=username,
            full_name=full_name,
            mobile=mobile or None,
            role=Role.INSTITUTION_USER,
        )
        if branch is not None:
            OfficerBranch.objects.create(user=user, branch=branch)
    return user, password


@audited_refusal("institutions.officer.assign_refused", object_type="user", id_argument="member_id")
def assign_officer(*, actor, member_id: int, branch_id: int | None) -> None:
    organisation = _require_institution_admin(actor)
    member = get_user_for(actor, member_id)
    branch = _own_branch(organisation, branch_id) if branch_id else None
    with transaction.atomic():
        if branch is None:
            OfficerBranch.objects.filter(user=member).delete()
        else:
            OfficerBranch.objects.update_or_create(user=member, defaults={"branch": branch})
        _audit(
            "institutions.officer.assigned",
            actor,
            organisation,
            member,
            {"branch": branch.pk if branch else None},
        )


@audited_refusal("institutions.officer.activation_refused", object_type="user", id_argument="member_id")
def set_officer_active(*, actor, member_id: int, active: bool, reason: str = "") -> None:
    _require_institution_admin(actor)
    member = get_user_for(actor, member_id)
    account_services.set_member_active(actor=actor, member=member, active=active, reason=reason)


# --- Products ------------------------------------------------------------------------------------


def _locked_product(actor, product_id, *, owner: bool) -> Product:
    queryset = Product.objects.select_for_update()
    if owner:
        queryset = queryset.filter(organisation=_institution_of(actor))
    else:
        _require_operator(actor)
    try:
        return queryset.get(pk=product_id)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _event(product, action, actor, *, revision=None, from_status="", to_status="", reason=""):
    ProductEvent.objects.create(
        product=product,
        revision=revision,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=_person(actor),
        reason=reason,
    )


def _apply_content(product: Product, content: dict) -> None:
    """Copy content into the product's columns (empty values become neutral column defaults)."""
    for name in FIELDS:
        value = content.get(name)
        field = Product._meta.get_field(name)
        if value in (None, ""):
            value = "" if field.get_internal_type() in ("CharField", "TextField") else 0
        if field.get_internal_type() == "DecimalField":
            value = Decimal(str(value))
        setattr(product, name, value)
    for low, high in (("amount_min", "amount_max"), ("term_min", "term_max"), ("rate_min", "rate_max")):
        if getattr(product, low) > getattr(product, high):  # only possible for partial drafts
            setattr(product, high, getattr(product, low))


def _rebuild_facets(product: Product) -> None:
    ProductFacet.objects.filter(product=product).delete()
    rows = []
    for kind, field in (
        ("tag", "tags"),
        ("guarantee", "guarantee_methods"),
        ("region", "target_regions"),
        ("industry", "industries"),
    ):
        rows += [ProductFacet(product=product, kind=kind, code=code) for code in getattr(product, field)]
    ProductFacet.objects.bulk_create(rows)


def _notify_owner(product, revision, title, body=""):
    recipients = {user.pk: user for user in _institution_admins(product.organisation)}
    if revision is not None and revision.created_by is not None:
        recipients[revision.created_by.pk] = revision.created_by
    notify(
        recipients=list(recipients.values()),
        category="institutions.product",
        title=title,
        body=body,
        link=f"/institutions/manage/products/{product.pk}/",
    )


@audited_refusal("institutions.product.create_refused", object_type="product")
def create_product(*, actor, content: dict) -> Product:
    organisation = _institution_of(actor)
    cleaned = clean_content(content)
    if not cleaned["name"]:
        raise ValidationFailed(field_errors={"name": _("The name is required.")})
    with transaction.atomic():
        product = Product(
            organisation=organisation,
            institution_name=organisation.short_name or organisation.name,
            institution_subtype=organisation.institution_subtype,
            created_by=_person(actor),
        )
        _apply_content(product, cleaned)
        product.save()
        revision = ProductRevision.objects.create(
            product=product, number=1, content=cleaned, created_by=_person(actor)
        )
        _event(product, "created", actor, revision=revision, to_status=product.status)
        _audit("institutions.product.created", actor, organisation, product, {"name": product.name})
    return product


@audited_refusal("institutions.product.edit_refused", object_type="product", id_argument="product_id")
def update_product(*, actor, product_id: int, content: dict) -> ProductRevision:
    """Edit a product: a draft revision is changed in place; otherwise a new revision starts.

    A live product stays listed with its approved content while the new revision is reviewed.
    """
    cleaned = clean_content(content)
    if not cleaned["name"]:
        raise ValidationFailed(field_errors={"name": _("The name is required.")})
    with transaction.atomic():
        product = _locked_product(actor, product_id, owner=True)
        open_revision = product.revisions.filter(
            status__in=[RevisionStatus.DRAFT, RevisionStatus.SUBMITTED]
        ).first()
        if open_revision is not None and open_revision.status == RevisionStatus.SUBMITTED:
            raise Conflict(_("A revision of this product is under review."), code="revision_under_review")
        if open_revision is None:
            number = (product.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
            open_revision = ProductRevision.objects.create(
                product=product, number=number, content=cleaned, created_by=_person(actor)
            )
        else:
            open_revision.content = cleaned
            open_revision.created_by = _person(actor)
            open_revision.save(update_fields=["content", "created_by"])
        if product.status not in APPROVED_STATES:
            _apply_content(product, cleaned)
            product.updated_at = timezone.now()
            product.save()
        _event(product, "edited", actor, revision=open_revision)
        _audit(
            "institutions.product.edited",
            actor,
            product.organisation,
            product,
            {"revision": open_revision.number},
        )
    return open_revision


@audited_refusal("institutions.product.submit_refused", object_type="product", id_argument="product_id")
def submit_product(*, actor, product_id: int) -> ProductRevision:
    with transaction.atomic():
        product = _locked_product(actor, product_id, owner=True)
        revision = product.revisions.filter(
            status__in=[RevisionStatus.DRAFT, RevisionStatus.SUBMITTED]
        ).first()
        if revision is None or revision.status != RevisionStatus.DRAFT:
            raise Conflict(_("There is no draft to submit."), code="nothing_to_submit")
        ensure_complete(revision.content)
        ensure_transition(revision.status, RevisionStatus.SUBMITTED, REVISION_TRANSITIONS)
        old = product.status
        if old not in APPROVED_STATES:
            ensure_transition(old, ProductStatus.PENDING_REVIEW, PRODUCT_TRANSITIONS)
            product.status = ProductStatus.PENDING_REVIEW
            product.updated_at = timezone.now()
            product.save(update_fields=["status", "updated_at"])
        revision.status = RevisionStatus.SUBMITTED
        revision.submitted_at = timezone.now()
        revision.save(update_fields=["status", "submitted_at"])
        _event(product, "submitted", actor, revision=revision, from_status=old, to_status=product.status)
        _audit(
            "institutions.product.submitted",
            actor,
            product.organisation,
            product,
            {"revision": revision.number},
        )
        _notify_owner(
            product,
            revision,
            _("Product “%(name)s” submitted for review") % {"name": revision.content["name"]},
        )
    return revision


def _submitted_revision(product) -> ProductRevision:
    revision = product.revisions.filter(status=RevisionStatus.SUBMITTED).first()
    if revision is None:
        raise Conflict(_("Nothing of this product is waiting for review."), code="nothing_to_review")
    return revision


@audited_refusal("institutions.product.approve_refused", object_type="product", id_argument="product_id")
def approve_product(*, actor, product_id: int) -> Product:
    """The operator approves the submitted revision; it becomes the listed content."""
    with transaction.atomic():
        product = _locked_product(actor, product_id, owner=False)
        if product.status == ProductStatus.REJECTED:
            ensure_transition(product.status, ProductStatus.LIVE, PRODUCT_TRANSITIONS)
        revision = _submitted_revision(product)
        ensure_transition(revision.status, RevisionStatus.APPROVED, REVISION_TRANSITIONS)
        old = product.status
        if old == ProductStatus.PENDING_REVIEW:
            ensure_transition(old, ProductStatus.LIVE, PRODUCT_TRANSITIONS)
            product.status = ProductStatus.LIVE
            product.listed_at = timezone.now()
        _apply_content(product, revision.content)
        product.updated_at = timezone.now()
        _score_one(product)
        product.save()
        _rebuild_facets(product)
        revision.status = RevisionStatus.APPROVED
        revision.reviewed_by = _person(actor)
        revision.reviewed_at = timezone.now()
        revision.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        _event(product, "approved", actor, revision=revision, from_status=old, to_status=product.status)
        _audit(
            "institutions.product.approved",
            actor,
            product.organisation,
            product,
            {"revision": revision.number},
        )
        _notify_owner(product, revision, _("Product “%(name)s” approved") % {"name": product.name})
    return product


@audited_refusal("institutions.product.reject_refused", object_type="product", id_argument="product_id")
def reject_product(*, actor, product_id: int, reason: str) -> Product:
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": _("Give the reason for rejecting.")})
    with transaction.atomic():
        product = _locked_product(actor, product_id, owner=False)
        if product.status == ProductStatus.REJECTED:
            ensure_transition(product.status, ProductStatus.REJECTED, PRODUCT_TRANSITIONS)
        revision = _submitted_revision(product)
        ensure_transition(revision.status, RevisionStatus.REJECTED, REVISION_TRANSITIONS)
        old = product.status
        if old == ProductStatus.PENDING_REVIEW:
            ensure_transition(old, ProductStatus.REJECTED, PRODUCT_TRANSITIONS)
            product.status = ProductStatus.REJECTED
            product.updated_at = timezone.now()
            product.save(update_fields=["status", "updated_at"])
        revision.status = RevisionStatus.REJECTED
        revision.reviewed_by = _person(actor)
        revision.reviewed_at = timezone.now()
        revision.review_reason = reason.strip()[:500]
        revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
        _event(
            product,
            "rejected",
            actor,
            revision=revision,
            from_status=old,
            to_status=product.status,
            reason=reason,
        )
        _audit(
            "institutions.product.rejected", actor, product.organisation, product, {"reason": reason[:200]}
        )
        _notify_owner(
            product, revision, _("Product “%(name)s” rejected") % {"name": revision.content["name"]}, reason
        )
    return product


def _set_listing(actor, product_id, target, action, reason=""):
    with transaction.atomic():
        product = _locked_product(actor, product_id, owner=True)
        old = product.status
        ensure_transition(old, target, PRODUCT_TRANSITIONS)
        product.status = target
        product.updated_at = timezone.now()
        product.save(update_fields=["status", "updated_at"])
        _event(product, action, actor, from_status=old, to_status=target, reason=reason)
        _audit(
            f"institutions.product.{action}", actor, product.organisation, product, {"reason": reason[:200]}
        )
        title = (
            _("Product “%(name)s” taken offline")
            if action == "offline"
            else _("Product “%(name)s” back online")
        )
        _notify_owner(product, None, title % {"name": product.name}, reason)
    return product


@audited_refusal("institutions.product.offline_refused", object_type="product", id_argument="product_id")
def take_product_offline(*, actor, product_id: int, reason: str = "") -> Product:
    return _set_listing(actor, product_id, ProductStatus.OFFLINE, "offline", reason)


@audited_refusal("institutions.product.online_refused", object_type="product", id_argument="product_id")
def bring_product_online(*, actor, product_id: int) -> Product:
    return _set_listing(actor, product_id, ProductStatus.LIVE, "online")


# --- Favourites ----------------------------------------------------------------------------------


def favourite_product(*, user, product_id: int) -> Favourite:
    if not getattr(user, "is_authenticated", False):
        raise AccessDenied()
    product = Product.objects.filter(pk=product_id, status=ProductStatus.LIVE).first()
    if product is None:
        raise NotFound()
    favourite, _created = Favourite.objects.get_or_create(user=user, product=product)
    return favourite


def unfavourite_product(*, user, product_id: int) -> None:
    Favourite.objects.filter(user=user, product_id=product_id).delete()


# --- Ranking -------------------------------------------------------------------------------------


def ranking_config() -> RankingConfig:
    config, _created = RankingConfig.objects.get_or_create(pk=1)
    return config


def _score_one(product: Product, *, config=None, max_applications=None, now=None) -> None:
    config = config or ranking_config()
    if max_applications is None:
        max_applications = (
            Product.objects.filter(status=ProductStatus.LIVE).aggregate(m=Max("applications_count"))["m"] or 0
        )
        max_applications = max(max_applications, product.applications_count)
    factors = ranking.factors_for(product, now=now or timezone.now(), max_applications=max_applications)
    product.score, product.score_factors = ranking.score_of(factors, config.weights())


def recompute_scores() -> int:
    """Score every live or offline product again (weights changed, counters moved, time passed)."""
    config = ranking_config()
    now = timezone.now()
    queryset = Product.objects.filter(status__in=APPROVED_STATES)
    max_applications = queryset.aggregate(m=Max("applications_count"))["m"] or 0
    batch = []
    count = 0
    for product in queryset.iterator(chunk_size=1000):
        _score_one(product, config=config, max_applications=max_applications, now=now)
        batch.append(product)
        if len(batch) == 1000:
            Product.objects.bulk_update(batch, ["score", "score_factors"])
            count += len(batch)
            batch = []
    Product.objects.bulk_update(batch, ["score", "score_factors"])
    return count + len(batch)


@audited_refusal("institutions.ranking.update_refused", object_type="rankingconfig")
def update_ranking_weights(*, actor, weights: dict[str, Decimal]) -> RankingConfig:
    _require_operator(actor)
    errors = {}
    for name in RankingConfig.FACTORS:
        value = weights.get(name)
        if value is None or not (0 <= Decimal(str(value)) <= 100):
            errors[f"weight_{name}"] = _("Enter a weight between 0 and 100.")
    if not errors and sum(Decimal(str(weights[name])) for name in RankingConfig.FACTORS) <= 0:
        errors["weight_rate"] = _("At least one weight must be above zero.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        config = RankingConfig.objects.select_for_update().get(pk=ranking_config().pk)
        for name in RankingConfig.FACTORS:
            setattr(config, f"weight_{name}", Decimal(str(weights[name])))
        config.updated_by = _person(actor)
        config.updated_at = timezone.now()
        config.save()
        recompute_scores()
        _audit("institutions.ranking.updated", actor, None, config, {k: str(v) for k, v in weights.items()})
    return config


@audited_refusal("institutions.product.pin_refused", object_type="product", id_argument="product_id")
def set_product_pinned(*, actor, product_id: int, pinned: bool) -> Product:
    with transaction.atomic():
        product = _locked_product(actor, product_id, owner=False)
        if product.status not in APPROVED_STATES:
            raise Conflict(_("Only approved products can be pinned."), code="not_listed")
        product.pinned = pinned
        product.save(update_fields=["pinned"])
        _audit("institutions.product.pinned" if pinned else "institutions.product.unpinned", actor,
               product.organisation, product)  # fmt: skip
    return product


# --- Ratings from evaluations (FIN-P7) ------------------------------------------------------------


def record_product_rating(*, product_id: int, stars: int) -> Product:
    """Fold one enterprise's 1–5 star rating into the product's average (the supermarket's
    "best rated" order and the ranking's rating factor read ``rating``); the score is refreshed.

    Called by the post-loan evaluation service inside its transaction, which audits the rating."""
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ValidationFailed(field_errors={"stars": _("Give 1 to 5 stars.")})
    with transaction.atomic():
        try:
            product = Product.objects.select_for_update().get(pk=product_id)
        except (Product.DoesNotExist, ValueError, TypeError):
            raise NotFound() from None
        total = product.rating * product.rating_count + stars
        product.rating_count += 1
        product.rating = (total / product.rating_count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        _score_one(product)
        product.save(update_fields=["rating", "rating_count", "score", "score_factors"])
    return product


def count_application(*, product_id: int) -> None:
    """One more application to the product (the supermarket's "most applied" order and the
    ranking's popularity factor read ``applications_count``). Called by financing inside its
    submission transaction."""
    Product.objects.filter(pk=product_id).update(applications_count=F("applications_count") + 1)
