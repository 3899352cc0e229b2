"""Scoring services: assess an enterprise (gated read → scorecard, anti-fraud, limit → stored
score rows), the enterprise's own pre-assessment, and re-computing a stored score."""

import json
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.audit.services import record_event
from dfsp.consent import gate
from dfsp.core.crypto import sm3_hex
from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.credit import antifraud, limits, scorecard, selectors
from dfsp.credit.assessment import Assessment
from dfsp.credit.features import MODEL_SCOPES, extract_features
from dfsp.credit.models import Score
from dfsp.credit.states import ModelKind
from dfsp.enterprises import selectors as enterprise_selectors

PRE_ASSESSMENT = "pre_assessment"
HISTORY_KEYS = ("recent_applications", "mobile_shared_count", "legal_rep_enterprise_count")


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def inputs_hash(inputs: dict) -> str:
    return sm3_hex(canonical(inputs))


# --- Pure evaluation of one version on stored inputs (shared by assess and recompute) ----------


def evaluate(kind: str, params: dict, inputs: dict) -> tuple[dict, list]:
    """(outputs, explanation) of a version's params on inputs; deterministic."""
    if kind == ModelKind.SCORECARD:
        result = scorecard.score_features(params, inputs)
        return {"score": result.score, "grade": result.grade, "base": result.base}, result.reasons
    if kind == ModelKind.ANTI_FRAUD:
        result = antifraud.evaluate(params, inputs)
        return {"fraud_score": result.fraud_score, "checked": result.checked}, result.fired
    result = limits.compute_limit(params, inputs)
    return {"limit": str(result.limit)}, result.derivation


def _fraud_facts(features: dict, amount, platform_history: dict | None) -> dict:
    history = platform_history or {}
    facts = {
        key: features.get(key)
        for key in (
            "years_in_business",
            "on_watchlist",
            "dishonest_debtor",
            "insured_count",
            "insured_prev_max",
            "insured_drop_ratio",
        )
    }
    facts["amount"] = str(amount) if amount is not None else None
    for key in HISTORY_KEYS:
        facts[key] = _count(history.get(key))
    return facts


def _count(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationFailed(
            code="credit_bad_history", field_errors={"platform_history": str(value)[:40]}
        ) from None


def limit_inputs(features: dict, grade: str, fraud_score: int, product=None) -> dict:
    taxes = features.get("annual_tax_paid")
    return {
        "annual_tax_paid": None if taxes is None else str(Decimal(str(taxes)).quantize(Decimal("0.01"))),
        "insured_count": features.get("insured_count"),
        "grade": grade,
        "fraud_score": fraud_score,
        "product_id": getattr(product, "pk", None),
        "product_amount_max": str(product.amount_max) if product is not None else None,
        "product_amount_min": str(product.amount_min) if product is not None else None,
    }


def _scopes_for(product) -> list[str]:
    declared = list(getattr(product, "data_scopes", None) or [])
    if not declared:
        return list(MODEL_SCOPES)
    return [s for s in MODEL_SCOPES if s in declared] or declared


def assess(
    *,
    actor,
    uscc: str,
    purpose_type: str,
    purpose_id: str,
    product=None,
    amount: Decimal | None = None,
    platform_history: dict | None = None,
    scopes: list[str] | None = None,
) -> Assessment:
    """Read features through the gate as ``actor`` (GateRefused propagates), run the active
    scorecard, anti-fraud and limit versions (the actor's institution's own when active), store
    one score row per model and return the Assessment. ``scopes`` defaults to the model scopes
    (narrowed to the product's declared scopes when a product is given)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise AccessDenied()
    organisation = selectors.acting_organisation(actor)
    owner = organisation if organisation is not None and actor.has_any_role(INSTITUTION_ROLES) else None
    versions = selectors.active_versions(owner)  # 409 credit_model_inactive before any read is counted
    gated = gate.read_credit_features(
        actor=actor,
        uscc=uscc,
        scopes=scopes or _scopes_for(product),
        purpose_type=purpose_type,
        purpose_id=str(purpose_id),
    )
    features = extract_features(gated.records)
    card_out, card_why = evaluate(ModelKind.SCORECARD, versions[ModelKind.SCORECARD].params, features)
    facts = _fraud_facts(features, amount, platform_history)
    fraud_out, fraud_why = evaluate(ModelKind.ANTI_FRAUD, versions[ModelKind.ANTI_FRAUD].params, facts)
    money = limit_inputs(features, card_out["grade"], fraud_out["fraud_score"], product)
    limit_out, limit_why = evaluate(ModelKind.LIMIT, versions[ModelKind.LIMIT].params, money)
    key = uuid.uuid4().hex
    user = actor.user if hasattr(actor, "api_key") else actor
    common = {
        "assessment_key": key,
        "uscc": gated.uscc,
        "enterprise_name": gated.name[:200],
        "requested_by_org": organisation,
        "requested_by": user,
        "purpose_type": str(purpose_type)[:20],
        "purpose_id": str(purpose_id)[:64],
        "self_assessment": gated.reason == gate.OWN_DATA_REASON,
        "call_log_id": gated.call_log_id,
    }
    with transaction.atomic():
        rows = {}
        for kind, inputs, outputs, why in (
            (ModelKind.SCORECARD, features, card_out, card_why),
            (ModelKind.ANTI_FRAUD, facts, fraud_out, fraud_why),
            (ModelKind.LIMIT, money, limit_out, limit_why),
        ):
            rows[kind] = Score.objects.create(
                version=versions[kind],
                kind=kind,
                inputs=inputs,
                inputs_hash=inputs_hash(inputs),
                outputs=outputs,
                explanation=why,
                **common,
            )
        record_event(
            event_type="credit.assessment.created",
            actor=user,
            organisation=organisation,
            object_type="credit.score",
            object_id=rows[ModelKind.SCORECARD].pk,
            details={
                "uscc": gated.uscc,
                "purpose_type": common["purpose_type"],
                "purpose_id": common["purpose_id"],
                "versions": {k: v.pk for k, v in versions.items()},
                "self_assessment": common["self_assessment"],
            },
        )
    return selectors.assessment_from_rows(rows)


def self_assess(*, actor, confirmed: bool) -> Assessment:
    """An enterprise admin's pre-assessment of its own enterprise (能不能融、能融多少), after
    explicitly confirming the consent text; reads its own data through the gate (own_data)."""
    if actor is None or not actor.is_authenticated or not actor.has_any_role({Role.ENTERPRISE_ADMIN}):
        raise AccessDenied()
    organisation = selectors.acting_organisation(actor)
    enterprise_selectors.ensure_certified(organisation)
    if not confirmed:
        raise ValidationFailed(
            _("Please confirm that you authorise the pre-assessment."),
            code="credit_confirmation_required",
            field_errors={"confirmed": _("Please confirm that you authorise the pre-assessment.")},
        )
    return assess(
        actor=actor,
        uscc=organisation.uscc,
        purpose_type=PRE_ASSESSMENT,
        purpose_id=f"self-{organisation.pk}",
    )


def recompute_score(*, actor, score_id) -> tuple[Score, bool]:
    """Re-run the stored version on the stored inputs; matches when the SM3 of the inputs, the
    outputs and the explanation are all the same as stored. Audited."""
    score = selectors.get_score_for(actor=actor, score_id=score_id)
    outputs, why = evaluate(score.kind, score.version.params, score.inputs)
    same_hash = inputs_hash(score.inputs) == score.inputs_hash
    matches = (
        same_hash
        and canonical(outputs) == canonical(score.outputs)
        and canonical(why) == canonical(score.explanation)
    )
    record_event(
        event_type="credit.score.recomputed",
        actor=actor,
        object_type="credit.score",
        object_id=score.pk,
        details={"matches": matches, "inputs_hash_matches": same_hash},
    )
    return score, matches


def can_self_assess(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.has_any_role(ENTERPRISE_ROLES))
