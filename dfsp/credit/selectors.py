"""Reads of decision models and scores, scoped to the actor ("not yours" looks like "none")."""

from decimal import Decimal

from django.db.models import Q, QuerySet

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, PLATFORM_WIDE_ROLES, Role
from dfsp.accounts.selectors import organisation_of
from dfsp.core.errors import AccessDenied, Conflict, NotFound
from dfsp.credit.antifraud import RULE_LABELS
from dfsp.credit.assessment import Assessment, labelled_reasons, labelled_rules, labelled_steps
from dfsp.credit.models import DecisionModel, ModelVersion, Score
from dfsp.credit.states import ModelKind, VersionStatus

MODEL_INACTIVE = "credit_model_inactive"


def acting_organisation(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if hasattr(actor, "api_key"):  # dfsp.core.api_auth.ApiCaller acts for its institution
        return actor.organisation
    return organisation_of(actor)


def _is_institution(actor) -> bool:
    return actor.has_any_role(INSTITUTION_ROLES)


# --- Models and versions ---------------------------------------------------------------------


def active_version(kind: str, owner=None) -> ModelVersion:
    """The owner's active version of the platform model of this kind, else the platform's own."""
    base = ModelVersion.objects.select_related("model", "owner").filter(
        model__kind=kind, status=VersionStatus.ACTIVE
    )
    if owner is not None:
        own = base.filter(owner=owner).order_by("-activated_at").first()
        if own is not None:
            return own
    version = base.filter(owner__isnull=True).first()
    if version is None:
        raise Conflict(code=MODEL_INACTIVE)
    return version


def active_versions(owner=None) -> dict[str, ModelVersion]:
    return {kind: active_version(kind, owner) for kind in ModelKind.values}


def ensure_operator(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_any_role({Role.OPERATOR}):
        raise AccessDenied()


def ensure_model_manager(actor) -> None:
    """Operators manage platform versions; institution admins their own parameter versions."""
    if actor is None or not actor.is_authenticated:
        raise AccessDenied()
    if not actor.has_any_role({Role.OPERATOR, Role.REGULATOR, Role.INSTITUTION_ADMIN}):
        raise AccessDenied()


def list_models(*, actor) -> QuerySet[DecisionModel]:
    ensure_model_manager(actor)
    return DecisionModel.objects.all()


def get_model_for(*, actor, model_id) -> DecisionModel:
    try:
        return list_models(actor=actor).get(pk=model_id)
    except (DecisionModel.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def versions_for(*, actor, model=None) -> QuerySet[ModelVersion]:
    """Operators and regulators see every version; institution admins the platform's and their own."""
    ensure_model_manager(actor)
    qs = ModelVersion.objects.select_related("model", "owner", "derived_from", "created_by")
    if model is not None:
        qs = qs.filter(model=model)
    if actor.has_any_role(PLATFORM_WIDE_ROLES):
        return qs
    return qs.filter(Q(owner__isnull=True) | Q(owner=acting_organisation(actor)))


def get_version_for(*, actor, version_id) -> ModelVersion:
    try:
        return versions_for(actor=actor).get(pk=version_id)
    except (ModelVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def can_edit(actor, version: ModelVersion) -> bool:
    """Operators edit platform versions; an institution admin its own institution's."""
    if version.owner_id is None:
        return actor.has_any_role({Role.OPERATOR})
    return actor.has_any_role({Role.INSTITUTION_ADMIN}) and acting_organisation(actor) == version.owner


# --- Scores ----------------------------------------------------------------------------------


def scores_for(*, actor, uscc=None, purpose_type=None, purpose_id=None) -> QuerySet[Score]:
    """Operators/regulators: all; institutions: the scores they requested; enterprises: their own
    pre-assessments. Anyone else sees nothing."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Score.objects.none()
    qs = Score.objects.select_related("version", "version__model", "version__owner")
    if actor.has_any_role(PLATFORM_WIDE_ROLES):
        pass
    elif _is_institution(actor):
        organisation = acting_organisation(actor)
        qs = qs.filter(requested_by_org=organisation) if organisation else qs.none()
    elif actor.has_any_role(ENTERPRISE_ROLES):
        organisation = acting_organisation(actor)
        qs = qs.filter(uscc=organisation.uscc, self_assessment=True) if organisation else qs.none()
    else:
        return qs.none()
    if uscc:
        qs = qs.filter(uscc=uscc.strip().upper())
    if purpose_type:
        qs = qs.filter(purpose_type=purpose_type)
    if purpose_id is not None and purpose_id != "":
        qs = qs.filter(purpose_id=str(purpose_id))
    return qs


def get_score_for(*, actor, score_id) -> Score:
    try:
        return scores_for(actor=actor).get(pk=score_id)
    except (Score.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def latest_self_grades(usccs) -> dict[str, str]:
    """Grade of each enterprise's latest own pre-assessment (matching eligibility); unassessed absent."""
    grades: dict[str, str] = {}
    rows = (
        Score.objects.filter(uscc__in=list(usccs), self_assessment=True, kind=ModelKind.SCORECARD)
        .order_by("uscc", "-created_at", "-pk")
        .values_list("uscc", "outputs")
    )
    for uscc, outputs in rows:
        grades.setdefault(uscc, outputs.get("grade", ""))
    return grades


def explain(score: Score) -> dict:
    """Readable explanation of one score row (labels resolved in the current language)."""
    data = {
        "id": score.pk,
        "kind": score.kind,
        "version": score.version.label,
        "version_id": score.version_id,
        "uscc": score.uscc,
        "purpose_type": score.purpose_type,
        "purpose_id": score.purpose_id,
        "created_at": score.created_at,
        "inputs_hash": score.inputs_hash,
        "outputs": score.outputs,
        "inputs": score.inputs,
    }
    if score.kind == ModelKind.SCORECARD:
        data["base"] = score.outputs.get("base")
        data["reasons"] = labelled_reasons(score.explanation)
    elif score.kind == ModelKind.ANTI_FRAUD:
        data["rules"] = labelled_rules(score.explanation)
        data["checked"] = [str(RULE_LABELS.get(c, c)) for c in score.outputs.get("checked", [])]
    else:
        data["derivation"] = labelled_steps(score.explanation)
    return data


def assessment_for(*, actor, score_id) -> Assessment:
    """The whole assessment (scorecard, fraud, limit rows) one visible score belongs to."""
    score = get_score_for(actor=actor, score_id=score_id)
    rows = {s.kind: s for s in scores_for(actor=actor).filter(assessment_key=score.assessment_key)}
    return assessment_from_rows(rows)


def assessment_from_rows(rows: dict) -> Assessment:
    card, fraud, limit = rows[ModelKind.SCORECARD], rows[ModelKind.ANTI_FRAUD], rows[ModelKind.LIMIT]
    return Assessment(
        uscc=card.uscc,
        enterprise_name=card.enterprise_name,
        score=int(card.outputs["score"]),
        grade=card.outputs["grade"],
        base=int(card.outputs["base"]),
        reasons=labelled_reasons(card.explanation),
        fraud_score=int(fraud.outputs["fraud_score"]),
        fraud_rules=labelled_rules(fraud.explanation),
        limit=Decimal(limit.outputs["limit"]),
        limit_derivation=labelled_steps(limit.explanation),
        score_ids=[card.pk, fraud.pk, limit.pk],
        model_versions={k: rows[k].version.label for k in ModelKind.values},
        model_version_ids={k: rows[k].version_id for k in ModelKind.values},
        assessment_key=card.assessment_key,
        purpose_type=card.purpose_type,
        purpose_id=card.purpose_id,
        created_at=card.created_at,
        features=card.inputs,
    )


def latest_self_assessment(*, actor) -> Assessment | None:
    """The enterprise's latest own pre-assessment."""
    organisation = acting_organisation(actor)
    if organisation is None or not actor.has_any_role(ENTERPRISE_ROLES):
        return None
    card = scores_for(actor=actor).filter(kind=ModelKind.SCORECARD).order_by("-created_at", "-pk").first()
    if card is None:
        return None
    rows = {
        s.kind: s for s in Score.objects.filter(assessment_key=card.assessment_key).select_related("version")
    }
    return assessment_from_rows(rows)


def active_batch_params(owner=None) -> tuple[dict, dict]:
    """(scorecard params, anti-fraud params) of the active versions, for batch.score_frame."""
    return (
        active_version(ModelKind.SCORECARD, owner).params,
        active_version(ModelKind.ANTI_FRAUD, owner).params,
    )
