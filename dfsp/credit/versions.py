"""Version services: install the platform models with their expert versions, derive an
institution's own parameter version, edit parameters within bounds, fit a candidate, activate
(retiring the previous active version of the same model and owner) and retire. Audited."""

import copy

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, Conflict, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.credit import expert, selectors
from dfsp.credit.models import DecisionModel, ModelVersion, VersionEvent
from dfsp.credit.params import clean_params
from dfsp.credit.states import ALLOWED_TRANSITIONS, ModelKind, VersionMethod, VersionStatus


def _event(version, action, actor=None, note=""):
    user = actor.user if hasattr(actor, "api_key") else actor
    VersionEvent.objects.create(version=version, action=action, actor=user, note=note[:300])
    record_event(
        event_type=f"credit.version.{action}",
        actor=user,
        object_type="credit.model_version",
        object_id=version.pk,
        details={
            "model": version.model.code,
            "number": version.number,
            "owner": version.owner_id,
            "note": note[:200],
        },
    )


def _next_number(model, owner) -> int:
    current = ModelVersion.objects.filter(model=model, owner=owner).aggregate(n=Max("number"))["n"]
    return (current or 0) + 1


def install_platform_models(*, actor=None, activate: bool = True) -> dict[str, ModelVersion]:
    """The three platform models with an expert version each (idempotent): the active fallback."""
    installed = {}
    for code, kind, name, params in expert.DEFAULT_MODELS:
        with transaction.atomic():
            model, _created = DecisionModel.objects.get_or_create(
                code=code, defaults={"kind": kind, "name": name}
            )
            version = ModelVersion.objects.filter(
                model=model, owner=None, method=VersionMethod.EXPERT
            ).first()
            if version is None:
                version = ModelVersion.objects.create(
                    model=model,
                    owner=None,
                    number=_next_number(model, None),
                    method=VersionMethod.EXPERT,
                    params=copy.deepcopy(params),
                    note="专家版本（平台默认）",
                    created_by=actor,
                )
                _event(version, "created", actor, "expert")
            if (
                activate
                and not ModelVersion.objects.filter(
                    model=model, owner=None, status=VersionStatus.ACTIVE
                ).exists()
            ):
                _activate(version, actor, "fallback")
        installed[kind] = version
    return installed


def _activate(version: ModelVersion, actor, note: str) -> None:
    ensure_transition(version.status, VersionStatus.ACTIVE, ALLOWED_TRANSITIONS)
    previous = (
        ModelVersion.objects.select_for_update()
        .filter(model=version.model, owner=version.owner, status=VersionStatus.ACTIVE)
        .exclude(pk=version.pk)
    )
    for old in previous:
        old.status = VersionStatus.RETIRED
        old.save(update_fields=["status"])
        _event(old, "retired", actor, f"replaced by v{version.number}")
    version.status, version.activated_at = VersionStatus.ACTIVE, timezone.now()
    try:
        with transaction.atomic():
            version.save(update_fields=["status", "activated_at"])
    except IntegrityError:
        raise Conflict(code="credit_version_conflict") from None
    _event(version, "activated", actor, note)


def _locked_editable(*, actor, version_id) -> ModelVersion:
    version = selectors.get_version_for(actor=actor, version_id=version_id)
    if not selectors.can_edit(actor, version):
        raise AccessDenied()
    return (
        ModelVersion.objects.select_for_update(of=("self",))
        .select_related("model", "owner")
        .get(pk=version.pk)
    )


def activate_version(*, actor, version_id, note: str = "") -> ModelVersion:
    """Make this version the one that scores for its model and owner. A fitted version needs its
    validation figures (computed on the hold-out when it was fitted)."""
    with transaction.atomic():
        version = _locked_editable(actor=actor, version_id=version_id)
        if version.method == VersionMethod.FITTED and not version.validation.get("auc"):
            raise ValidationFailed(_("This version has no validation figures."), code="credit_not_validated")
        _activate(version, actor, note)
    return version


def retire_version(*, actor, version_id, note: str = "") -> ModelVersion:
    with transaction.atomic():
        version = _locked_editable(actor=actor, version_id=version_id)
        ensure_transition(version.status, VersionStatus.RETIRED, ALLOWED_TRANSITIONS)
        version.status = VersionStatus.RETIRED
        version.save(update_fields=["status"])
        _event(version, "retired", actor, note)
    return version


def derive_version(*, actor, model_id, note: str = "") -> ModelVersion:
    """An institution admin's own draft version, starting from the platform's active parameters."""
    if not actor.has_any_role({Role.INSTITUTION_ADMIN}):
        raise AccessDenied()
    organisation = selectors.acting_organisation(actor)
    model = selectors.get_model_for(actor=actor, model_id=model_id)
    platform = selectors.active_version(model.kind)
    with transaction.atomic():
        version = ModelVersion.objects.create(
            model=model,
            owner=organisation,
            number=_next_number(model, organisation),
            method=VersionMethod.DERIVED,
            params=copy.deepcopy(platform.params),
            derived_from=platform,
            note=note[:300],
            created_by=actor,
        )
        _event(version, "created", actor, f"derived from v{platform.number}")
    return version


def update_params(*, actor, version_id, changes: dict, note: str = "") -> ModelVersion:
    """Edit a draft's parameters within bounds (see params.clean_params); active/retired are frozen."""
    with transaction.atomic():
        version = _locked_editable(actor=actor, version_id=version_id)
        if version.status != VersionStatus.DRAFT:
            raise Conflict(_("Only draft versions can be edited."), code="credit_version_frozen")
        version.params = clean_params(version.model.kind, version.params, changes)
        version.save(update_fields=["params"])
        _event(version, "edited", actor, note or ",".join(sorted(changes)))
    return version


def create_fitted_version(*, actor, params: dict, validation: dict, note: str = "") -> ModelVersion:
    """Store a fitted scorecard as a platform draft with its validation figures (operators)."""
    selectors.ensure_operator(actor)
    model = DecisionModel.objects.get(kind=ModelKind.SCORECARD, code="platform_scorecard")
    with transaction.atomic():
        version = ModelVersion.objects.create(
            model=model,
            owner=None,
            number=_next_number(model, None),
            method=VersionMethod.FITTED,
            params=params,
            validation=validation,
            note=note[:300],
            created_by=actor,
        )
        _event(version, "fitted", actor, note)
    return version


def fit_candidate(*, actor, data, seed: int = 2026, note: str = "") -> ModelVersion:
    """Fit a scorecard on a labelled frame and keep it as a draft candidate with its validation."""
    from dfsp.credit import fitting

    selectors.ensure_operator(actor)
    try:
        active = selectors.active_version(ModelKind.SCORECARD)
        compare = {"label": active.label, "params": active.params}
    except Conflict:
        compare = None
    params, validation = fitting.fit_scorecard(data, seed=seed, compare=compare)
    return create_fitted_version(actor=actor, params=params, validation=validation, note=note)
