"""Data platform API (``/api/v1/data/``) for the platform's operators and regulators.

Reads — sources, sync runs with status/progress/row counts, quality issues, the data-element
dictionary and code sets — follow the selectors' rule: operators and regulators, everyone else
403. Writes — uploading a file to a source (starts the ingestion job), asking for a pull,
sending an issue back to its source or waiving it, uploading a correction — are for operators
signed in as themselves: an API key belongs to an institution and never writes here.
Uploads are multipart (field ``file``) and honour ``Idempotency-Key`` (middleware; it keeps the
whole body, so with that header an upload is limited to DATA_UPLOAD_MAX_MEMORY_SIZE).
Thin: parse, call one selector or service, render.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from dfsp.core.errors import AccessDenied
from dfsp.core.pagination import PagePagination
from dfsp.core.schemas import ErrorOut, InputSchema
from dfsp.datahub import selectors, services
from dfsp.datahub.states import BatchStatus, IssueStatus

router = Router(tags=["data"])

_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
_ONE_ERRORS = {404: ErrorOut, **_READ_ERRORS}
_WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _person(request: HttpRequest):
    """The signed-in operator behind a write. Services treat ``actor=None`` as the system itself,
    so a caller without a person (an API key) must be refused here, never passed on as None."""
    user = getattr(request.auth, "user", None)
    if user is None:
        raise AccessDenied()
    return user


# --- Schemas ---------------------------------------------------------------------------------------


class SourceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    delivery: str = Field(description="file_drop or pull_api.")
    category: str
    owner_department: str
    contact: str
    schedule: str
    status: str = Field(description="active or paused.")
    items: list[str] = Field(description="Data element codes the source provides.")
    watermark: str = Field(description="Highest updated_at pulled so far (pull sources).")
    last_run_at: datetime | None
    created_at: datetime


class RunOut(Schema):
    id: int
    source_id: int
    source_code: str = Field(alias="source.code")
    category: str
    origin: str = Field(description="upload, pull or correction.")
    file_name: str
    status: str = Field(description="queued, running, succeeded, failed or duplicate.")
    progress: int = Field(description="Percent, 0–100.")
    stage: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_changed: int = Field(description="Records inserted or changed; 0 when the data was loaded before.")
    quality_score: Decimal | None
    error: str
    duplicate_of_id: int | None
    corrects_issue_id: int | None
    duration_ms: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class RunFilters(Schema):
    source_id: int | None = Field(None, ge=1)
    status: BatchStatus | None = None


class IssueOut(Schema):
    id: int
    source_id: int
    source_code: str = Field(alias="source.code")
    batch_id: int
    rule_code: str
    summary: str
    failed_rows: int
    status: str
    resolution: str
    created_at: datetime
    updated_at: datetime


class IssueFilters(Schema):
    status: IssueStatus | None = None


class IssueStatusIn(InputSchema):
    status: Literal["feedback_sent", "waived"] = Field(
        description="feedback_sent: send back to the source's owner for correction; waived: accept as is."
    )
    note: str = Field(
        "", max_length=1000, description="Message to the owner, or the reason (required to waive)."
    )


class ElementOut(Schema):
    code: str
    name_zh: str
    name_en: str
    data_type: str
    length: int
    fmt: str
    code_set: str
    sensitivity: int = Field(description="JR/T 0197 level, 1 (public) to 5 (most sensitive).")
    data_class: str = Field(description="JR/T 0171 personal financial information class, C1–C3.")
    mask: str
    owner: str


class ElementFilters(Schema):
    q: str = Field("", max_length=100, description="Part of the code or of the Chinese or English name.")


class CodeSetOut(Schema):
    id: int
    code: str
    name: str
    version: str
    standard: str
    is_current: bool
    value_count: int


class CodeValueOut(Schema):
    value: str
    label: str
    parent: str


class CodeSetDetailOut(Schema):
    id: int
    code: str
    name: str
    version: str
    standard: str
    is_current: bool
    values: list[CodeValueOut]


# --- Sources and runs ------------------------------------------------------------------------------


@router.get("/sources", response={200: list[SourceOut], **_READ_ERRORS}, summary="List data sources")
@paginate(PagePagination)
def list_sources(request: HttpRequest):
    return selectors.list_sources(actor=request.auth)


@router.get("/sources/{source_id}", response={200: SourceOut, **_ONE_ERRORS}, summary="One data source")
def get_source(request: HttpRequest, source_id: int):
    return selectors.get_source(actor=request.auth, source_id=source_id)


@router.post(
    "/sources/{source_id}/uploads",
    response={202: RunOut, **_WRITE_ERRORS},
    summary="Upload a file to a source and start its ingestion run",
    description="Multipart field ``file``: CSV (UTF-8 or GBK), XLSX or JSON(L). The run is queued and "
    "processed by a worker; follow it at ``/runs/{id}``. Identical content loaded before ends as "
    "``duplicate`` and changes nothing.",
)
def upload(request: HttpRequest, source_id: int, file: File[UploadedFile]):
    actor = _person(request)
    source = selectors.get_source(actor=request.auth, source_id=source_id)
    batch = services.submit_upload(actor=actor, source=source, uploaded_file=file)
    return Status(202, selectors.get_batch(actor=request.auth, batch_id=batch.pk))


@router.post(
    "/sources/{source_id}/pulls",
    response={202: RunOut, **_WRITE_ERRORS},
    summary="Pull a source's API now (since its watermark)",
)
def pull(request: HttpRequest, source_id: int):
    actor = _person(request)
    source = selectors.get_source(actor=request.auth, source_id=source_id)
    batch = services.request_pull(actor=actor, source=source)
    return Status(202, selectors.get_batch(actor=request.auth, batch_id=batch.pk))


@router.get("/runs", response={200: list[RunOut], **_READ_ERRORS}, summary="List sync runs, newest first")
@paginate(PagePagination)
def list_runs(request: HttpRequest, filters: Query[RunFilters]):
    source = (
        selectors.get_source(actor=request.auth, source_id=filters.source_id) if filters.source_id else None
    )
    status = filters.status.value if filters.status else ""
    return selectors.list_batches(actor=request.auth, source=source, status=status).order_by(
        "-created_at", "-id"
    )


@router.get("/runs/{run_id}", response={200: RunOut, **_ONE_ERRORS}, summary="One sync run")
def get_run(request: HttpRequest, run_id: int):
    return selectors.get_batch(actor=request.auth, batch_id=run_id)


# --- Quality issues --------------------------------------------------------------------------------


@router.get("/issues", response={200: list[IssueOut], **_READ_ERRORS}, summary="List quality issues")
@paginate(PagePagination)
def list_issues(request: HttpRequest, filters: Query[IssueFilters]):
    status = filters.status.value if filters.status else ""
    return selectors.list_issues(actor=request.auth, status=status)


@router.get("/issues/{issue_id}", response={200: IssueOut, **_ONE_ERRORS}, summary="One quality issue")
def get_issue(request: HttpRequest, issue_id: int):
    return selectors.get_issue(actor=request.auth, issue_id=issue_id)


@router.post(
    "/issues/{issue_id}/status",
    response={200: IssueOut, **_WRITE_ERRORS},
    summary="Send an issue back to its source, or waive it",
    description="A move the issue's state does not allow is 409 invalid_transition; waiving needs a note.",
)
def set_issue_status(request: HttpRequest, issue_id: int, payload: IssueStatusIn):
    actor = _person(request)
    issue = selectors.get_issue(actor=request.auth, issue_id=issue_id)
    if payload.status == IssueStatus.WAIVED:
        services.waive_issue(actor=actor, issue=issue, reason=payload.note)
    else:
        services.send_feedback(actor=actor, issue=issue, note=payload.note.strip())
    return selectors.get_issue(actor=request.auth, issue_id=issue.pk)


@router.post(
    "/issues/{issue_id}/corrections",
    response={202: RunOut, **_WRITE_ERRORS},
    summary="Upload corrected rows for an issue",
    description="Starts a correction run of the issue's source; the re-check closes the issue or sends "
    "it back. Multipart field ``file``.",
)
def upload_correction(request: HttpRequest, issue_id: int, file: File[UploadedFile]):
    actor = _person(request)
    issue = selectors.get_issue(actor=request.auth, issue_id=issue_id)
    batch = services.resubmit_correction(actor=actor, issue=issue, uploaded_file=file)
    return Status(202, selectors.get_batch(actor=request.auth, batch_id=batch.pk))


# --- Standards -------------------------------------------------------------------------------------


@router.get("/elements", response={200: list[ElementOut], **_READ_ERRORS}, summary="Data-element dictionary")
@paginate(PagePagination)
def list_elements(request: HttpRequest, filters: Query[ElementFilters]):
    return selectors.list_elements(actor=request.auth, query=filters.q.strip())


@router.get("/code-sets", response={200: list[CodeSetOut], **_READ_ERRORS}, summary="Code sets")
@paginate(PagePagination)
def list_code_sets(request: HttpRequest):
    return selectors.list_code_sets(actor=request.auth).order_by("code", "version")


@router.get(
    "/code-sets/{code_set_id}", response={200: CodeSetDetailOut, **_ONE_ERRORS}, summary="One code set"
)
def get_code_set(request: HttpRequest, code_set_id: int):
    code_set = selectors.get_code_set(actor=request.auth, code_set_id=code_set_id)
    return {
        "id": code_set.pk,
        "code": code_set.code,
        "name": code_set.name,
        "version": code_set.version,
        "standard": code_set.standard,
        "is_current": code_set.is_current,
        "values": list(code_set.values.order_by("value").values("value", "label", "parent")),
    }
