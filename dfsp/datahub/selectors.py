"""Reads of the data platform.

``get_credit_profile`` is the one service through which other modules read an enterprise's
credit data (a later authorisation gate sits in front of it). Page reads are for operators and
regulators only; anyone else gets AccessDenied, and unknown ids are NotFound.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from dfsp.core import masking
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.datahub.catalogue import CATEGORIES, Category
from dfsp.datahub.models import (
    CodeSet,
    CreditRecord,
    DataElement,
    DataSource,
    FailedRow,
    FieldMapping,
    IngestionBatch,
    MaskingPolicy,
    QualityIssue,
    QualityRule,
)
from dfsp.datahub.states import BatchStatus

READER_ROLES = frozenset({"operator", "regulator"})
PERIODS_SHOWN = 12


def ensure_reader(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_any_role(READER_ROLES):
        raise AccessDenied()


# --- Credit profile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRecord:
    record_key: str
    period: str
    code: str
    amount: object
    event_date: date | None
    values: dict
    source_code: str
    source_name: str
    batch_id: int
    loaded_at: object


@dataclass(frozen=True)
class CategoryView:
    category: str
    label: str
    records: list[ProfileRecord]  # current view: latest periods first, or every listed record

    @property
    def current(self) -> ProfileRecord | None:
        return self.records[0] if self.records else None


@dataclass(frozen=True)
class CreditProfile:
    uscc: str
    name: str
    sections: dict[str, CategoryView] = field(default_factory=dict)

    @property
    def registration(self) -> dict:
        section = self.sections.get(Category.REGISTRATION)
        return section.current.values if section and section.current else {}

    @property
    def on_watchlist(self) -> bool:
        section = self.sections.get(Category.WATCHLIST)
        return any(not r.values.get("removed_on") for r in section.records) if section else False

    @property
    def dishonest_judgment_debtor(self) -> bool:
        section = self.sections.get(Category.JUDICIAL)
        return (
            any(r.code == "dishonest" and not r.values.get("closed_on") for r in section.records)
            if section
            else False
        )


def get_credit_profile(*, uscc: str) -> CreditProfile:
    """The current view per category of one enterprise, with source and batch lineage."""
    uscc = (uscc or "").strip().upper()
    rows = list(
        CreditRecord.objects.filter(uscc=uscc)
        .select_related("source")
        .order_by("category", "-period", "-event_date", "record_key")
    )
    if not rows:
        raise NotFound()
    sections: dict[str, list[ProfileRecord]] = {}
    for r in rows:
        sections.setdefault(r.category, []).append(
            ProfileRecord(
                r.record_key,
                r.period,
                r.code,
                r.amount,
                r.event_date,
                r.data,
                r.source.code,
                r.source.name,
                r.batch_id,
                r.loaded_at,
            )
        )
    views = {}
    for category in Category.values:
        records = sections.get(category)
        if not records:
            continue
        if CATEGORIES[category].period:
            latest_periods = sorted({r.period for r in records}, reverse=True)[:PERIODS_SHOWN]
            records = [r for r in records if r.period in latest_periods]
        views[category] = CategoryView(category, str(Category(category).label), records)
    name = (
        views[Category.REGISTRATION].current.values.get("ent_name", "")
        if Category.REGISTRATION in views
        else ""
    )
    return CreditProfile(uscc=uscc, name=name or "", sections=views)


def get_credit_record(*, uscc: str, category: str, record_key: str) -> CreditRecord:
    try:
        return CreditRecord.objects.get(uscc=uscc, category=category, record_key=record_key)
    except CreditRecord.DoesNotExist:
        raise NotFound() from None


def search_enterprises(*, actor, query: str = "") -> QuerySet:
    ensure_reader(actor)
    records = CreditRecord.objects.filter(category=Category.REGISTRATION).order_by("uscc")
    query = (query or "").strip()[:100]
    if query:
        records = records.filter(Q(uscc__icontains=query) | Q(data__ent_name__icontains=query))
    return records


# --- Masking for display and export -------------------------------------------------------------------


def active_policy() -> dict:
    policy = MaskingPolicy.objects.filter(is_active=True).first()
    return policy.rules if policy else masking.DEFAULT_POLICY


def element_sensitivity() -> dict[str, tuple[int, str]]:
    return {e.code: (e.sensitivity, e.mask) for e in DataElement.objects.only("code", "sensitivity", "mask")}


def masked_values(*, viewer, values: dict, policy: dict | None = None, sensitivity=None) -> dict:
    """Display form of a record's values for this viewer (element sensitivity × viewer role)."""
    policy = policy or active_policy()
    sensitivity = sensitivity if sensitivity is not None else element_sensitivity()
    roles = viewer.role_codes() if viewer is not None and viewer.is_authenticated else frozenset()
    shown = {}
    for code, value in values.items():
        level, kind = sensitivity.get(code, (5, ""))
        shown[code] = masking.mask_for_display(
            value, kind=kind, sensitivity=level, roles=roles, policy=policy
        )
    return shown


def export_actions(*, actor, columns: dict[str, str]) -> dict:
    """Export masking per column: level ≤ 2 clear for readers, 3 masked, 4 pseudonymised, 5 suppressed."""
    sensitivity = element_sensitivity()
    roles = actor.role_codes() if actor is not None and actor.is_authenticated else frozenset()
    actions = {}
    for column, element in columns.items():
        level, kind = sensitivity.get(element, (5, ""))
        if level <= 2 and roles & READER_ROLES:
            actions[column] = (masking.CLEAR, kind)
        elif level <= 3:
            actions[column] = (masking.MASK, kind)
        elif level == 4:
            actions[column] = (masking.PSEUDONYMISE, kind)
        else:
            actions[column] = (masking.SUPPRESS, kind)
    return actions


# --- Pages -----------------------------------------------------------------------------------------------


def list_sources(*, actor) -> QuerySet[DataSource]:
    ensure_reader(actor)
    return DataSource.objects.annotate(run_count=Count("batches")).order_by("code")


def get_source(*, actor, source_id) -> DataSource:
    ensure_reader(actor)
    try:
        return DataSource.objects.get(pk=source_id)
    except (DataSource.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def list_batches(*, actor, source: DataSource | None = None, status: str = "") -> QuerySet[IngestionBatch]:
    ensure_reader(actor)
    batches = IngestionBatch.objects.select_related("source", "created_by")
    if source is not None:
        batches = batches.filter(source=source)
    if status in BatchStatus.values:
        batches = batches.filter(status=status)
    return batches


def get_batch(*, actor, batch_id) -> IngestionBatch:
    ensure_reader(actor)
    try:
        return IngestionBatch.objects.select_related("source", "duplicate_of", "corrects_issue").get(
            pk=batch_id
        )
    except (IngestionBatch.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def list_failed_rows(*, actor, batch: IngestionBatch, rejected_only: bool = False) -> QuerySet[FailedRow]:
    ensure_reader(actor)
    rows = FailedRow.objects.filter(batch=batch)
    return rows.filter(rejected=True) if rejected_only else rows


def list_elements(*, actor, query: str = "") -> QuerySet[DataElement]:
    ensure_reader(actor)
    elements = DataElement.objects.all()
    if query:
        elements = elements.filter(
            Q(code__icontains=query) | Q(name_zh__icontains=query) | Q(name_en__icontains=query)
        )
    return elements


def list_code_sets(*, actor) -> QuerySet[CodeSet]:
    ensure_reader(actor)
    return CodeSet.objects.annotate(value_count=Count("values"))


def get_code_set(*, actor, code_set_id) -> CodeSet:
    ensure_reader(actor)
    try:
        return CodeSet.objects.get(pk=code_set_id)
    except (CodeSet.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def list_mappings(*, actor) -> QuerySet[FieldMapping]:
    ensure_reader(actor)
    return FieldMapping.objects.select_related("source", "element")


def list_rules(*, actor) -> QuerySet[QualityRule]:
    ensure_reader(actor)
    return QualityRule.objects.all()


def list_issues(*, actor, status: str = "") -> QuerySet[QualityIssue]:
    ensure_reader(actor)
    issues = QualityIssue.objects.select_related("source", "batch")
    return issues.filter(status=status) if status else issues


def get_issue(*, actor, issue_id) -> QualityIssue:
    ensure_reader(actor)
    try:
        return QualityIssue.objects.select_related("source", "batch").get(pk=issue_id)
    except (QualityIssue.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def quality_trends(*, actor) -> dict:
    """Per source: overall and per-dimension scores of its last 30 successful runs (oldest first)."""
    ensure_reader(actor)
    trends: dict[str, dict] = {}
    for source in DataSource.objects.all():
        runs = list(
            IngestionBatch.objects.filter(source=source, status=BatchStatus.SUCCEEDED).order_by(
                "-created_at"
            )[:30]
        )[::-1]
        if not runs:
            continue
        dims = sorted({d for r in runs for d in r.quality.get("dimensions", {})})
        trends[source.code] = {
            "name": source.name,
            "runs": [f"#{r.pk}" for r in runs],
            "overall": [float(r.quality_score or 0) for r in runs],
            "dimensions": {d: [r.quality.get("dimensions", {}).get(d) for r in runs] for d in dims},
            "latest": runs[-1].quality.get("dimensions", {}),
            "latest_score": float(runs[-1].quality_score or 0),
        }
    return trends
