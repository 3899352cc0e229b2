"""Decision models API for institutions' systems: score an enterprise on request under a consent
grant (POST /assessments; refusals: 403 consent_*; no active model: 409 credit_model_inactive)
and read a score with its explanation (GET /scores/{id}; other organisations' scores: 404)."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from dfsp.accounts.roles import INSTITUTION_ROLES
from dfsp.consent import signatures
from dfsp.consent.states import PurposeType
from dfsp.core.errors import AccessDenied
from dfsp.core.schemas import ErrorOut, InputSchema
from dfsp.credit import selectors, services

router = Router(tags=["credit"])

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _institution_only(request: HttpRequest) -> None:
    signatures.verify_request(request)
    if not request.auth.has_any_role(INSTITUTION_ROLES):
        raise AccessDenied()


class AssessmentIn(InputSchema):
    uscc: str = Field(min_length=18, max_length=18)
    purpose_type: PurposeType
    purpose_id: str = Field(min_length=1, max_length=64)
    amount: Decimal | None = Field(None, ge=0, le=Decimal("1000000000"), description="Yuan asked for.")
    scopes: list[str] | None = Field(
        None, max_length=20, description="Scope codes to read (default: all model scopes)."
    )


class ReasonOut(Schema):
    code: str
    label: str
    value: str
    points: int
    direction: str


class RuleOut(Schema):
    code: str
    label: str
    weight: int
    evidence: dict


class StepOut(Schema):
    code: str
    label: str
    value: str
    detail: str


class AssessmentOut(Schema):
    uscc: str
    score: int
    grade: str
    base: int
    reasons: list[ReasonOut]
    fraud_score: int
    fraud_rules: list[RuleOut]
    limit: Decimal = Field(description="Yuan.")
    limit_derivation: list[StepOut]
    score_ids: list[int]
    model_versions: dict[str, str]


class ScoreOut(Schema):
    id: int
    kind: str
    uscc: str
    version: str
    version_id: int
    purpose_type: str
    purpose_id: str
    created_at: datetime
    inputs_hash: str
    outputs: dict
    explanation: dict


@router.post(
    "/assessments", response={201: AssessmentOut, **_ERRORS}, summary="Score an enterprise under a grant"
)
def create_assessment(request: HttpRequest, payload: AssessmentIn):
    _institution_only(request)
    assessment = services.assess(
        actor=request.auth,
        uscc=payload.uscc,
        purpose_type=payload.purpose_type.value,
        purpose_id=payload.purpose_id,
        amount=payload.amount,
        scopes=payload.scopes or None,
    )
    return Status(201, assessment)


@router.get("/scores/{score_id}", response={200: ScoreOut, **_ERRORS}, summary="A score with its explanation")
def get_score(request: HttpRequest, score_id: int):
    signatures.verify_request(request)
    score = selectors.get_score_for(actor=request.auth, score_id=score_id)
    data = selectors.explain(score)
    explanation = {k: data[k] for k in ("base", "reasons", "rules", "checked", "derivation") if k in data}
    return {
        **{
            k: data[k]
            for k in (
                "id",
                "kind",
                "uscc",
                "version",
                "version_id",
                "purpose_type",
                "purpose_id",
                "created_at",
                "inputs_hash",
                "outputs",
            )
        },
        "explanation": explanation,
    }
