"""Writes of the data platform: sources, ingestion runs, standards, quality issues, masking.

Ingestion is all or nothing: the records, the failing rows, the issues and the run's outcome
are written in one transaction; any failure leaves a failed run with its reason and no data.
Network I/O (pulls) happens before that transaction, never inside it.
"""

import json
import logging
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import filetype
import polars as pl
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.core import masking
from dfsp.core.crypto import sm3_hex
from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.datahub import loading, pipeline
from dfsp.datahub.catalogue import CATEGORIES, ELEMENTS, GBT4754_DIVISIONS, SMALL_CODE_SETS
from dfsp.datahub.models import (
    CodeSet,
    CodeValue,
    DataElement,
    DataSource,
    Delivery,
    FailedRow,
    FieldMapping,
    IngestionBatch,
    MaskingPolicy,
    QualityIssue,
    QualityIssueEvent,
    QualityRule,
    SourceStatus,
)
from dfsp.datahub.states import ALLOWED_TRANSITIONS, BATCH_TRANSITIONS, BatchStatus, IssueStatus
from dfsp.notifications.services import notify

logger = logging.getLogger(__name__)

WRITER_ROLES = frozenset({"operator"})
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx", ".json", ".jsonl")


def max_upload_bytes() -> int:
    return int(getattr(settings, "DATAHUB_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))


def _require_writer(actor) -> None:
    if actor is not None and not actor.has_any_role(WRITER_ROLES):
        raise AccessDenied()


# --- Standards -------------------------------------------------------------------------------------


def install_standards(*, actor=None) -> dict:
    """Create (idempotently) the data dictionary, code sets, default rules and masking policy."""
    from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
    from dfsp.core.regions import HEILONGJIANG_DIVISIONS

    _require_writer(actor)
    with transaction.atomic():
        for e in ELEMENTS:
            DataElement.objects.update_or_create(
                code=e.code,
                defaults={
                    "name_zh": e.name_zh,
                    "name_en": e.name_en,
                    "data_type": e.data_type,
                    "length": e.length,
                    "fmt": e.fmt,
                    "code_set": e.code_set,
                    "sensitivity": e.sensitivity,
                    "data_class": e.data_class,
                    "mask": e.mask,
                    "owner": "大庆市社会信用体系建设办公室",
                },
            )
        sets = {
            "GBT2260": (
                "行政区划代码（黑龙江省）",
                "GB/T 2260",
                "2023",
                {c: (n, "") for c, n in HEILONGJIANG_DIVISIONS.items()},
            ),
            "GBT4754_SECTION": (
                "国民经济行业分类门类",
                "GB/T 4754-2017",
                "2017",
                {c: (n, "") for c, n in GBT4754_SECTIONS.items()},
            ),
            "GBT4754_DIVISION": (
                "国民经济行业分类大类",
                "GB/T 4754-2017",
                "2017",
                {c: (n, p) for c, (p, n) in GBT4754_DIVISIONS.items()},
            ),
        }
        for code, (name, values) in SMALL_CODE_SETS.items():
            sets[code] = (name, "", "1.0", {v: (label, "") for v, label in values.items()})
        sets["ENT_SCALE"] = (
            "企业规模（工信部划型）",
            "工信部联企业〔2011〕300号",
            "2011",
            {c: (n, "") for c, n in ENTERPRISE_SCALES.items()},
        )
        for code, (name, standard, version, values) in sets.items():
            code_set, created = CodeSet.objects.get_or_create(
                code=code, version=version, defaults={"name": name, "standard": standard, "is_current": True}
            )
            if created:
                CodeValue.objects.bulk_create(
                    [
                        CodeValue(code_set=code_set, value=v, label=label, parent=parent)
                        for v, (label, parent) in values.items()
                    ]
                )
        for rule in default_rules():
            QualityRule.objects.get_or_create(code=rule["code"], defaults=rule)
        if not MaskingPolicy.objects.exists():
            MaskingPolicy.objects.create(
                version=masking.DEFAULT_POLICY["version"], rules=masking.DEFAULT_POLICY, is_active=True
            )
        record_event(event_type="datahub.standards.installed", actor=actor, object_type="datahub.standards")
    return {"elements": len(ELEMENTS), "code_sets": len(sets)}


def default_rules() -> list[dict]:
    """The platform's baseline rules (stored as data; operators tune thresholds and severity)."""
    r = []

    def add(code, name, element, kind, category="", severity="error", params=None, warn=99, err=95):
        r.append(
            {
                "code": code,
                "name": name,
                "element": element,
                "kind": kind,
                "category": category,
                "severity": severity,
                "params": params or {},
                "warn_below": warn,
                "error_below": err,
            }
        )

    add("uscc-present", "统一社会信用代码必填", "uscc", "completeness")
    add("uscc-check", "统一社会信用代码校验位", "uscc", "uscc")
    add("reg-name-present", "企业名称必填", "ent_name", "completeness", "registration")
    add(
        "reg-status-code",
        "登记状态属于代码集",
        "reg_status",
        "code_set",
        "registration",
        params={"code_set": "REG_STATUS"},
    )
    add(
        "reg-division-code",
        "行政区划属于GB/T 2260",
        "division",
        "code_set",
        "registration",
        params={"code_set": "GBT2260"},
    )
    add(
        "reg-industry-code",
        "行业门类属于GB/T 4754",
        "industry",
        "code_set",
        "registration",
        params={"code_set": "GBT4754_SECTION"},
    )
    add(
        "reg-capital-range",
        "注册资本在合理范围",
        "reg_capital",
        "range",
        "registration",
        params={"min": 0, "max": 10_000_000},
    )
    add("reg-rep-id-check", "法定代表人身份证号校验位", "legal_rep_id", "id_number", "registration", "warn")
    add(
        "reg-mobile-format",
        "手机号格式",
        "legal_rep_mobile",
        "format",
        "registration",
        "warn",
        {"pattern": r"^1[3-9]\d{9}$"},
    )
    add(
        "reg-established-past",
        "成立日期不晚于今天",
        "established_on",
        "consistency",
        "registration",
        params={"op": "<=", "right": "today", "type": "date"},
    )
    add(
        "reg-uscc-unique",
        "同一批次企业不重复",
        "uscc",
        "uniqueness",
        "registration",
        "warn",
        {"columns": ["uscc"]},
    )
    add(
        "tax-grade-code",
        "纳税信用等级属于A/B/M/C/D",
        "tax_grade",
        "code_set",
        "tax",
        params={"code_set": "TAX_GRADE"},
    )
    add("tax-paid-range", "实缴税额非负", "tax_paid", "range", "tax", params={"min": 0})
    add(
        "tax-period-timely",
        "所属期在两年内",
        "period",
        "timeliness",
        "tax",
        "warn",
        {"type": "period", "max_age_days": 730},
    )
    add(
        "si-count-range",
        "参保人数非负",
        "insured_count",
        "range",
        "social_insurance",
        params={"min": 0, "max": 500000},
    )
    add(
        "judicial-kind-code",
        "司法信息类型属于代码集",
        "judicial_kind",
        "code_set",
        "judicial",
        params={"code_set": "JUDICIAL_KIND"},
    )
    add(
        "judicial-closed-after-filed",
        "结案日期不早于立案日期",
        "closed_on",
        "consistency",
        "judicial",
        params={"op": ">=", "right": "$filed_on", "type": "date"},
    )
    add(
        "utility-type-code",
        "能源类型属于代码集",
        "utility_type",
        "code_set",
        "utilities",
        params={"code_set": "UTILITY_TYPE"},
    )
    add(
        "watchlist-kind-code",
        "名单类型属于代码集",
        "list_kind",
        "code_set",
        "watchlist",
        params={"code_set": "LIST_KIND"},
    )
    return r


@transaction.atomic
def activate_masking_policy(*, actor, version: str, rules: dict) -> MaskingPolicy:
    _require_writer(actor)
    levels = rules.get("levels") if isinstance(rules, dict) else None
    allowed = {masking.CLEAR, masking.MASK, masking.SUPPRESS}
    if not levels or any(
        str(lvl) not in {"1", "2", "3", "4", "5"} or not isinstance(t, dict) or set(t.values()) - allowed
        for lvl, t in levels.items()
    ):
        raise ValidationFailed(
            field_errors={"rules": _("Each level 1–5 maps roles to clear, mask or suppress.")}
        )
    if MaskingPolicy.objects.filter(version=version).exists():
        raise ValidationFailed(field_errors={"version": _("This version exists already.")})
    MaskingPolicy.objects.filter(is_active=True).update(is_active=False)
    policy = MaskingPolicy.objects.create(
        version=version, rules={"version": version, "levels": levels}, is_active=True
    )
    record_event(
        event_type="datahub.masking_policy.activated",
        actor=actor,
        object_type="datahub.maskingpolicy",
        object_id=policy.pk,
        details={"version": version},
    )
    return policy


def reveal_value(*, actor, uscc: str, category: str, record_key: str, element: str) -> str:
    """Unmasked value of one sensitive element: needs the explicit permission; always audited."""
    from dfsp.datahub.selectors import get_credit_record

    allowed = bool(actor and actor.is_authenticated and actor.has_perm("datahub.reveal_sensitive"))
    with transaction.atomic():
        record_event(
            event_type="datahub.sensitive.revealed",
            actor=actor,
            object_type="datahub.creditrecord",
            object_id=f"{uscc}/{category}/{record_key}",
            outcome="success" if allowed else "denied",
            details={"element": element},
        )
    if not allowed:
        raise AccessDenied()
    record = get_credit_record(uscc=uscc, category=category, record_key=record_key)
    value = record.data.get(element)
    return "" if value is None else str(value)


# --- Sources ---------------------------------------------------------------------------------------


@transaction.atomic
def create_source(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    delivery: str,
    category: str,
    owner_department: str,
    items=None,
    schedule: str = "",
    contact: str = "",
    api_url: str = "",
    owner=None,
) -> DataSource:
    _require_writer(actor)
    if DataSource.objects.filter(code=code).exists():
        raise ValidationFailed(field_errors={"code": _("A source with this code exists already.")})
    if category not in CATEGORIES:
        raise ValidationFailed(field_errors={"category": _("Unknown category.")})
    if delivery == Delivery.PULL_API and not api_url:
        raise ValidationFailed(field_errors={"api_url": _("A pull source needs an API address.")})
    source = DataSource.objects.create(
        code=code,
        name=name,
        kind=kind,
        delivery=delivery,
        category=category,
        owner_department=owner_department,
        items=list(items or CATEGORIES[category].elements),
        schedule=schedule,
        contact=contact,
        api_url=api_url,
        owner=owner,
    )
    record_event(
        event_type="datahub.source.created",
        actor=actor,
        object_type="datahub.datasource",
        object_id=source.pk,
    )
    return source


@transaction.atomic
def set_source_status(*, actor, source: DataSource, status: str) -> DataSource:
    _require_writer(actor)
    source = DataSource.objects.select_for_update().get(pk=source.pk)
    if status not in SourceStatus.values:
        raise ValidationFailed(field_errors={"status": _("Unknown status.")})
    source.status = status
    source.save(update_fields=["status"])
    record_event(
        event_type="datahub.source.status_changed",
        actor=actor,
        object_type="datahub.datasource",
        object_id=source.pk,
        details={"status": status},
    )
    return source


@transaction.atomic
def set_mapping(
    *, actor, source: DataSource, source_field: str, element_code: str, value_map: dict | None = None
) -> FieldMapping:
    _require_writer(actor)
    element = DataElement.objects.filter(code=element_code).first()
    if element is None:
        raise ValidationFailed(field_errors={"element": _("Unknown data element.")})
    if not source_field.strip():
        raise ValidationFailed(field_errors={"source_field": _("Name the source field.")})
    FieldMapping.objects.filter(source=source).filter(
        Q(element=element) | Q(source_field=source_field)
    ).delete()
    mapping = FieldMapping.objects.create(
        source=source, source_field=source_field.strip(), element=element, value_map=value_map or {}
    )
    record_event(
        event_type="datahub.mapping.set",
        actor=actor,
        object_type="datahub.fieldmapping",
        object_id=mapping.pk,
        details={"source": source.code, "field": source_field, "element": element_code},
    )
    return mapping


# --- Submitting runs --------------------------------------------------------------------------------


def submit_upload(
    *, actor, source: DataSource, uploaded_file, corrects_issue: QualityIssue | None = None
) -> IngestionBatch:
    """Check and store an uploaded file, record a queued run and hand it to a worker after commit."""
    _require_writer(actor)
    name = Path(getattr(uploaded_file, "name", "") or "upload.csv").name[:200]
    suffix = Path(name).suffix.lower()
    size = getattr(uploaded_file, "size", None)
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationFailed(field_errors={"file": _("Upload a CSV, XLSX or JSON file.")})
    if size is None or size > max_upload_bytes():
        # Checked before reading a byte: a huge file is never loaded into memory.
        raise ValidationFailed(
            field_errors={
                "file": _("The file is larger than the allowed %(mb)d MB.")
                % {"mb": max_upload_bytes() // 1048576}
            }
        )
    if size == 0:
        raise ValidationFailed(field_errors={"file": _("The file is empty.")})
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    if suffix == ".xlsx" and (kind is None or kind.extension not in ("xlsx", "zip")):
        raise ValidationFailed(field_errors={"file": _("This is not an Excel workbook.")})
    if suffix != ".xlsx" and kind is not None:
        raise ValidationFailed(field_errors={"file": _("This is not a text file.")})
    stored = default_storage.save(f"datahub/{source.code}/{uuid.uuid4().hex}{suffix}", uploaded_file)
    digest = sm3_hex(Path(default_storage.path(stored)).read_bytes())
    return _queue_batch(
        actor=actor,
        source=source,
        origin="correction" if corrects_issue else "upload",
        file_name=name,
        stored=stored,
        digest=digest,
        corrects_issue=corrects_issue,
    )


def request_pull(*, actor, source: DataSource) -> IngestionBatch:
    _require_writer(actor)
    if source.delivery != Delivery.PULL_API or not source.api_url:
        raise ValidationFailed(field_errors={"source": _("This source is not pulled from an API.")})
    return _queue_batch(actor=actor, source=source, origin="pull", file_name="", stored="", digest="")


@transaction.atomic
def _queue_batch(*, actor, source, origin, file_name, stored, digest, corrects_issue=None) -> IngestionBatch:
    if source.status != SourceStatus.ACTIVE:
        raise ValidationFailed(field_errors={"source": _("The source is paused.")})
    batch = IngestionBatch.objects.create(
        source=source,
        category=source.category,
        origin=origin,
        file_name=file_name,
        stored_path=stored,
        content_hash=digest,
        created_by=actor,
        corrects_issue=corrects_issue,
        watermark_from=source.watermark,
    )
    if corrects_issue is not None:
        corrects_issue = QualityIssue.objects.select_for_update().get(pk=corrects_issue.pk)
        _move_issue(
            issue=corrects_issue,
            target=IssueStatus.RESUBMITTED,
            actor=actor,
            note=_("Corrected data resubmitted in run #%(id)s.") % {"id": batch.pk},
        )
    record_event(
        event_type="datahub.batch.submitted",
        actor=actor,
        object_type="datahub.ingestionbatch",
        object_id=batch.pk,
        details={"source": source.code, "origin": origin},
    )
    from dfsp.datahub import tasks

    transaction.on_commit(lambda: tasks.run_batch.delay(batch.pk))
    return batch


# --- Running a batch --------------------------------------------------------------------------------


def _progress(batch_id: int, progress: int, stage: str) -> None:
    IngestionBatch.objects.filter(pk=batch_id).update(progress=progress, stage=stage)


def run_batch(*, batch_id: int) -> IngestionBatch:
    """The worker's body: fetch (pulls), read, standardise, check, load — or fail cleanly."""
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().select_related("source").get(pk=batch_id)
        if batch.status != BatchStatus.QUEUED:
            return batch  # a retried task finds the work done
        ensure_transition(batch.status, BatchStatus.RUNNING, BATCH_TRANSITIONS)
        batch.status, batch.started_at, batch.stage = BatchStatus.RUNNING, timezone.now(), "reading"
        batch.save(update_fields=["status", "started_at", "stage"])
    started = time.monotonic()
    try:
        if batch.origin == "pull":
            _progress(batch.pk, 5, "fetching")
            _fetch_pull(batch)
        duplicate = (
            IngestionBatch.objects.filter(
                source=batch.source,
                category=batch.category,
                content_hash=batch.content_hash,
                status=BatchStatus.SUCCEEDED,
            )
            .exclude(pk=batch.pk)
            .first()
        )
        if duplicate is not None:
            return _finish_duplicate(batch, duplicate, started)
        result = _process(batch)
    except pipeline.PipelineError as exc:
        return _finish_failed(batch, str(exc), started)
    except Exception as exc:  # any other failure: a clear run report, nothing half-written
        logger.exception("ingestion failed", extra={"batch": batch.pk})
        return _finish_failed(batch, _("Unexpected error: %(kind)s") % {"kind": type(exc).__name__}, started)
    return _finish_succeeded(batch, result, started)


def _specs(source: DataSource, category: str):
    spec = CATEGORIES[category]
    element_codes = ("uscc", *spec.elements)
    elements = {}
    code_values = {
        cs.code: frozenset(cs.values.values_list("value", flat=True))
        for cs in CodeSet.objects.filter(is_current=True)
    }
    for e in DataElement.objects.filter(code__in=element_codes):
        elements[e.code] = pipeline.ElementSpec(
            e.code, e.data_type, e.fmt, code_values.get(e.code_set, frozenset())
        )
    mappings: dict[str, str] = {}
    for code in element_codes:
        mappings[code] = code
        if code in elements:
            mappings[DataElement.objects.get(code=code).name_zh] = code
    value_maps: dict[str, dict] = {}
    for m in FieldMapping.objects.filter(source=source).select_related("element"):
        mappings = {f: e for f, e in mappings.items() if e != m.element.code}
        mappings[m.source_field] = m.element.code
        if m.value_map:
            value_maps[m.element.code] = m.value_map
    rules = []
    for r in QualityRule.objects.filter(is_active=True).filter(Q(category="") | Q(category=category)):
        params = dict(r.params)
        if r.kind == "code_set":
            params["values"] = sorted(code_values.get(params.get("code_set", ""), ()))
        rules.append(
            pipeline.RuleSpec(
                r.code,
                r.kind,
                r.element,
                params,
                r.severity,
                float(r.warn_below),
                float(r.error_below),
                r.name,
            )
        )
    return mappings, value_maps, elements, rules, ("uscc", *spec.key)


def _process(batch: IngestionBatch) -> dict:
    path = Path(default_storage.path(batch.stored_path))
    if path.stat().st_size > max_upload_bytes():
        raise pipeline.PipelineError(_("The file is larger than allowed."))
    frame, encoding, malformed = pipeline.read_table(path, batch.file_name or path.name)
    _progress(batch.pk, 25, "standardising")
    mappings, value_maps, elements, rules, required = _specs(batch.source, batch.category)
    standard, std_report = pipeline.standardise(
        frame, mappings=mappings, value_maps=value_maps, elements=elements, required=required
    )
    _progress(batch.pk, 45, "checking")
    checked, stats = pipeline.check(standard, rules, today=timezone.localdate())
    accepted, failing = pipeline.split(checked, stats)
    records = pipeline.to_records(accepted, batch.category)
    failed = pipeline.failing_rows(failing, batch.category)
    for bad in malformed:
        failed.append(
            {
                "row": bad["row"],
                "uscc": "",
                "record_key": "",
                "rejected": True,
                "reasons": [bad["reason"]],
                "raw": bad["raw"],
            }
        )
    _progress(batch.pk, 70, "loading")
    return {
        "encoding": encoding,
        "rows_read": frame.height + len(malformed),
        "records": records,
        "failed": failed,
        "stats": stats,
        "report": std_report,
        "rows_rejected": sum(1 for f in failed if f["rejected"]),
        "accepted_keys": set(zip(records["uscc"].to_list(), records["record_key"].to_list(), strict=True))
        if batch.corrects_issue_id
        else set(),
    }


def _finish_succeeded(batch: IngestionBatch, result: dict, started: float) -> IngestionBatch:
    quality = pipeline.scores(result["stats"])
    quality["rules"] = result["stats"]
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().select_related("source").get(pk=batch.pk)
        ensure_transition(batch.status, BatchStatus.SUCCEEDED, BATCH_TRANSITIONS)
        now = timezone.now()
        changed = loading.upsert_records(
            result["records"],
            category=batch.category,
            source_id=batch.source_id,
            batch_id=batch.pk,
            loaded_at=now,
        )
        FailedRow.objects.bulk_create(
            [
                FailedRow(
                    batch=batch,
                    row_number=f["row"],
                    uscc=f["uscc"],
                    record_key=f["record_key"],
                    rejected=f["rejected"],
                    reasons=f["reasons"],
                    raw=f["raw"],
                )
                for f in result["failed"]
            ],
            batch_size=2000,
        )
        batch.status, batch.progress, batch.stage = BatchStatus.SUCCEEDED, 100, "done"
        batch.encoding = result["encoding"]
        batch.rows_read = result["rows_read"]
        batch.rows_rejected = result["rows_rejected"]
        batch.rows_accepted = batch.rows_read - batch.rows_rejected
        batch.rows_changed = changed
        batch.report, batch.quality, batch.quality_score = result["report"], quality, quality["overall"]
        batch.finished_at, batch.duration_ms = now, int((time.monotonic() - started) * 1000)
        if batch.origin == "pull":
            batch.source.watermark = batch.watermark_to or batch.source.watermark
        batch.source.last_run_at = now
        batch.source.save(update_fields=["watermark", "last_run_at"])
        batch.save()
        for stat in result["stats"]:
            if stat["failed"] and stat["level"] != "ok":
                QualityIssue.objects.create(
                    batch=batch,
                    source=batch.source,
                    rule_code=stat["rule"],
                    failed_rows=stat["failed"],
                    summary=f"{stat['name']}: {stat['failed']} / {stat['checked']}",
                )
        if batch.corrects_issue_id:
            _recheck_issue(batch, result)
        record_event(
            event_type="datahub.batch.finished",
            object_type="datahub.ingestionbatch",
            object_id=batch.pk,
            details={"status": batch.status, "read": batch.rows_read, "rejected": batch.rows_rejected},
        )
    return batch


def _recheck_issue(batch: IngestionBatch, result: dict) -> None:
    issue = QualityIssue.objects.select_for_update().get(pk=batch.corrects_issue_id)
    if issue.status != IssueStatus.RESUBMITTED:
        return
    accepted = result["accepted_keys"]
    resolved = [
        row.pk
        for row in FailedRow.objects.filter(batch_id=issue.batch_id, resolved_by__isnull=True).only(
            "uscc", "record_key"
        )
        if (row.uscc, row.record_key) in accepted
    ]
    FailedRow.objects.filter(pk__in=resolved).update(resolved_by=batch)
    still = next((s["failed"] for s in result["stats"] if s["rule"] == issue.rule_code), 0)
    if still == 0:
        _move_issue(
            issue=issue,
            target=IssueStatus.CLOSED,
            actor=None,
            note=_("Run #%(id)s passed the re-check.") % {"id": batch.pk},
        )
    else:
        _move_issue(
            issue=issue,
            target=IssueStatus.FEEDBACK_SENT,
            actor=None,
            note=_("Run #%(id)s still has %(n)d failing rows.") % {"id": batch.pk, "n": still},
        )
        _notify_owner(issue)


def _finish_failed(batch: IngestionBatch, reason: str, started: float) -> IngestionBatch:
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().get(pk=batch.pk)
        ensure_transition(batch.status, BatchStatus.FAILED, BATCH_TRANSITIONS)
        batch.status, batch.stage, batch.error = BatchStatus.FAILED, "failed", reason[:2000]
        batch.finished_at, batch.duration_ms = timezone.now(), int((time.monotonic() - started) * 1000)
        batch.save(
            update_fields=[
                "status",
                "stage",
                "error",
                "finished_at",
                "duration_ms",
                "content_hash",
                "watermark_to",
            ]
        )
        if batch.corrects_issue_id:
            issue = QualityIssue.objects.select_for_update().get(pk=batch.corrects_issue_id)
            if issue.status == IssueStatus.RESUBMITTED:
                _move_issue(
                    issue=issue,
                    target=IssueStatus.FEEDBACK_SENT,
                    actor=None,
                    note=_("Run #%(id)s failed: %(reason)s") % {"id": batch.pk, "reason": reason[:200]},
                )
        record_event(
            event_type="datahub.batch.finished",
            object_type="datahub.ingestionbatch",
            object_id=batch.pk,
            outcome="failure",
            details={"status": batch.status},
        )
    return batch


def _finish_duplicate(batch: IngestionBatch, duplicate: IngestionBatch, started: float) -> IngestionBatch:
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().get(pk=batch.pk)
        ensure_transition(batch.status, BatchStatus.DUPLICATE, BATCH_TRANSITIONS)
        batch.status, batch.stage, batch.progress, batch.duplicate_of = (
            BatchStatus.DUPLICATE,
            "done",
            100,
            duplicate,
        )
        batch.error = _("Identical content was loaded by run #%(id)s; nothing changed.") % {
            "id": duplicate.pk
        }
        batch.finished_at, batch.duration_ms = timezone.now(), int((time.monotonic() - started) * 1000)
        batch.save()
        record_event(
            event_type="datahub.batch.finished",
            object_type="datahub.ingestionbatch",
            object_id=batch.pk,
            details={"status": batch.status, "duplicate_of": duplicate.pk},
        )
    return batch


# --- Pull connector ---------------------------------------------------------------------------------


def _get_json(url: str) -> dict:
    retries = int(getattr(settings, "DATAHUB_PULL_RETRIES", 3))
    backoff = float(getattr(settings, "DATAHUB_PULL_BACKOFF_SECONDS", 0.2))
    last: Exception | None = None
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 (configured http(s) source)
                return json.loads(response.read(max_upload_bytes()).decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError, ConnectionError) as exc:
            last = exc
            if attempt < retries:
                time.sleep(backoff * (2**attempt))
    raise pipeline.PipelineError(
        _("The source API failed after %(n)d attempts: %(error)s") % {"n": retries + 1, "error": last}
    )


def _fetch_pull(batch: IngestionBatch) -> None:
    """Fetch every page since the watermark into a JSON-lines file; only then process it."""
    source = batch.source
    if not source.api_url.startswith(("http://", "https://")):
        raise pipeline.PipelineError(_("The source API address must be http(s)."))
    watermark = batch.watermark_from
    page, items, size = 1, [], 0
    high = watermark
    while page:
        query = urllib.parse.urlencode({"since": watermark, "page": page})
        payload = _get_json(f"{source.api_url}?{query}")
        page_items = payload.get("items") if isinstance(payload, dict) else None
        if not isinstance(page_items, list):
            raise pipeline.PipelineError(_("The source API answered with an unexpected document."))
        for item in page_items:
            line = json.dumps(item, ensure_ascii=False)
            size += len(line)
            if size > max_upload_bytes():
                raise pipeline.PipelineError(_("The pulled data is larger than allowed."))
            items.append(line)
            stamp = str(item.get("updated_at") or "")
            high = max(high, stamp)
        page = payload.get("next_page")
        _progress(batch.pk, min(20, 5 + len(items) // 1000), "fetching")
    content = ("\n".join(items) + "\n").encode("utf-8")
    stored = default_storage.save(f"datahub/{source.code}/{uuid.uuid4().hex}.jsonl", _BytesFile(content))
    batch.stored_path, batch.file_name = stored, f"pull-{timezone.localdate():%Y%m%d}.jsonl"
    batch.content_hash, batch.watermark_to = sm3_hex(content), high
    IngestionBatch.objects.filter(pk=batch.pk).update(
        stored_path=stored, file_name=batch.file_name, content_hash=batch.content_hash, watermark_to=high
    )
    if not items:
        raise pipeline.PipelineError(_("The source API returned no new rows since the watermark."))


class _BytesFile:
    """Minimal file object for storage.save (avoids Django's ContentFile name juggling)."""

    def __init__(self, content: bytes) -> None:
        from django.core.files.base import ContentFile

        self._file = ContentFile(content)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def chunks(self, chunk_size=None):
        return self._file.chunks(chunk_size)


def queue_due_pulls() -> dict:
    """Beat entry: one pull run per active API source that has no run in progress."""
    queued = 0
    for source in DataSource.objects.filter(delivery=Delivery.PULL_API, status=SourceStatus.ACTIVE):
        if source.batches.filter(status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).exists():
            continue
        _queue_batch(actor=None, source=source, origin="pull", file_name="", stored="", digest="")
        queued += 1
    return {"queued": queued}


# --- Quality issues ----------------------------------------------------------------------------------


def _move_issue(*, issue: QualityIssue, target: str, actor, note: str = "") -> QualityIssue:
    ensure_transition(issue.status, target, ALLOWED_TRANSITIONS)
    QualityIssueEvent.objects.create(
        issue=issue, from_status=issue.status, to_status=target, actor=actor, note=note
    )
    issue.status = target
    if target in (IssueStatus.CLOSED, IssueStatus.WAIVED):
        issue.resolution = note
    issue.save(update_fields=["status", "resolution", "updated_at"])
    record_event(
        event_type=f"datahub.issue.{target}",
        actor=actor,
        object_type="datahub.qualityissue",
        object_id=issue.pk,
        details={"rule": issue.rule_code},
    )
    return issue


def _notify_owner(issue: QualityIssue) -> None:
    owner = issue.source.owner
    if owner is None:
        return
    notify(
        recipients=[owner],
        category="datahub.quality",
        title=_("Data quality issue in %(source)s") % {"source": issue.source.name},
        body=_("%(summary)s. Please correct the rows and resubmit.") % {"summary": issue.summary},
        link=reverse("datahub:issue_detail", args=[issue.pk]),
    )


@transaction.atomic
def send_feedback(*, actor, issue: QualityIssue, note: str = "") -> QualityIssue:
    """Send the issue back to the source owner (in-app message) for correction."""
    _require_writer(actor)
    issue = QualityIssue.objects.select_for_update().get(pk=issue.pk)
    _move_issue(issue=issue, target=IssueStatus.FEEDBACK_SENT, actor=actor, note=note)
    _notify_owner(issue)
    return issue


@transaction.atomic
def waive_issue(*, actor, issue: QualityIssue, reason: str) -> QualityIssue:
    _require_writer(actor)
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": _("Give the reason for waiving.")})
    issue = QualityIssue.objects.select_for_update().get(pk=issue.pk)
    return _move_issue(issue=issue, target=IssueStatus.WAIVED, actor=actor, note=reason.strip())


def resubmit_correction(*, actor, issue: QualityIssue, uploaded_file) -> IngestionBatch:
    """Upload corrected rows for an issue; the run re-checks them and closes or returns the issue."""
    issue = QualityIssue.objects.select_related("source").get(pk=issue.pk)
    ensure_transition(issue.status, IssueStatus.RESUBMITTED, ALLOWED_TRANSITIONS)
    return submit_upload(actor=actor, source=issue.source, uploaded_file=uploaded_file, corrects_issue=issue)


# --- Helpers for the demo and the generator --------------------------------------------------------


def ingest_file_now(*, actor, source: DataSource, path: Path) -> IngestionBatch:
    """Submit a local file through the normal upload path (demo, commands)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    batch = submit_upload(actor=actor, source=source, uploaded_file=upload)
    batch.refresh_from_db()
    if batch.status == BatchStatus.QUEUED:  # no eager worker: run it here
        run_batch(batch_id=batch.pk)
        batch.refresh_from_db()
    return batch


def export_frame(
    *, actor, frame: pl.DataFrame, element_codes: dict[str, str], key: bytes | None = None
) -> pl.DataFrame:
    """Export masking of a frame whose columns are data elements: by sensitivity, for this actor."""
    from dfsp.datahub.selectors import export_actions

    actions = export_actions(actor=actor, columns=element_codes)
    return masking.mask_frame(frame, actions, key=key or pseudonym_key())


def pseudonym_key() -> bytes:
    configured = getattr(settings, "DATAHUB_PSEUDONYM_KEY", "")
    material = configured or settings.SECRET_KEY
    return bytes.fromhex(sm3_hex(("datahub-pseudonym:" + material).encode()))[:16]


def today() -> date:
    return timezone.localdate()


def temp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="dfsp-datahub-"))
