"""Tables of the financial big-data platform: sources, runs, standards, quality and credit facts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dfsp.datahub.catalogue import Category
from dfsp.datahub.states import BatchStatus, IssueStatus


class SourceKind(models.TextChoices):
    PUBLIC_CREDIT = "public_credit", _("Public credit information platform")
    GOV_EXCHANGE = "gov_exchange", _("Government data sharing exchange")
    THIRD_PARTY = "third_party", _("Third party")
    INSTITUTION = "institution", _("Financial institution")
    MANUAL = "manual", _("Manual entry")


class Delivery(models.TextChoices):
    FILE_DROP = "file_drop", _("File drop")
    PULL_API = "pull_api", _("Pull API")


class SourceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


class DataSource(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=SourceKind.choices)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    owner_department = models.CharField(_("owner department"), max_length=100)
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner contact user"),
    )
    items = models.JSONField(_("items provided"), default=list, blank=True)
    schedule = models.CharField(_("schedule"), max_length=60, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.ACTIVE
    )
    api_url = models.URLField(_("API address"), blank=True)
    watermark = models.CharField(_("watermark"), max_length=40, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("data source")

    def __str__(self) -> str:
        return self.name


class IngestionBatch(models.Model):
    """One sync run of a source: a file upload or an API pull, loaded all or nothing."""

    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="batches")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    origin = models.CharField(_("origin"), max_length=10)  # upload | pull | correction
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    stored_path = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(_("content hash (SM3)"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    encoding = models.CharField(_("encoding"), max_length=12, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_accepted = models.PositiveIntegerField(_("rows accepted"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rows_changed = models.PositiveIntegerField(_("records changed"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.TextField(_("error"), blank=True)
    report = models.JSONField(_("run report"), default=dict, blank=True)
    quality = models.JSONField(_("quality report"), default=dict, blank=True)
    quality_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    watermark_from = models.CharField(max_length=40, blank=True)
    watermark_to = models.CharField(max_length=40, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrects_issue = models.ForeignKey(
        "QualityIssue", on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sync run")
        indexes = [models.Index(fields=["source", "category", "content_hash", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source.code}"

    @property
    def in_progress(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)


class CreditRecord(models.Model):
    """One fact about an enterprise: natural key (uscc, category, record_key), typed extracts, lineage."""

    uscc = models.CharField(max_length=18)
    category = models.CharField(max_length=20, choices=Category.choices)
    record_key = models.CharField(max_length=120, blank=True)
    period = models.CharField(max_length=7, blank=True)
    code = models.CharField(max_length=32, blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    event_date = models.DateField(null=True, blank=True)
    data = models.JSONField(default=dict)
    row_hash = models.CharField(max_length=32)
    # Lineage without database FK triggers: deferred RI checks would cost one queued trigger event
    # per bulk-loaded row; sources and batches are never deleted (PROTECT in the ORM).
    # The only index is the natural key: every further index slows the bulk load of each batch.
    source = models.ForeignKey(
        DataSource, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    batch = models.ForeignKey(
        IngestionBatch, on_delete=models.PROTECT, related_name="records", db_constraint=False, db_index=False
    )
    loaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["uscc", "category", "record_key"], name="datahub_record_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.uscc} {self.category} {self.record_key}"


class FailedRow(models.Model):
    """A row that failed quality rules: rejected (error) or accepted with a warning; browsable."""

    batch = models.ForeignKey(IngestionBatch, on_delete=models.CASCADE, related_name="failed_rows")
    row_number = models.PositiveIntegerField()
    uscc = models.CharField(max_length=40, blank=True)
    record_key = models.CharField(max_length=120, blank=True)
    rejected = models.BooleanField(default=True)
    reasons = models.JSONField(default=list)
    raw = models.JSONField(default=dict)
    resolved_by = models.ForeignKey(
        IngestionBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="resolved_rows"
    )

    class Meta:
        ordering = ["batch", "row_number"]

    # --- Data standards (DATA-4) ---------------------------------------------------------------------

    def __str__(self) -> str:
        return f"#{self.batch_id} row {self.row_number}"


class CodeSet(models.Model):
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    version = models.CharField(_("version"), max_length=20)
    standard = models.CharField(_("standard"), max_length=60, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="datahub_codeset_version"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(is_current=True), name="datahub_codeset_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class CodeValue(models.Model):
    code_set = models.ForeignKey(CodeSet, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(_("value"), max_length=20)
    label = models.CharField(_("label"), max_length=100)
    parent = models.CharField(_("parent"), max_length=20, blank=True)

    class Meta:
        ordering = ["value"]
        constraints = [models.UniqueConstraint(fields=["code_set", "value"], name="datahub_codevalue_unique")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class SensitivityLevel(models.IntegerChoices):
    L1 = 1, _("1 public")
    L2 = 2, _("2 internal")
    L3 = 3, _("3 sensitive")
    L4 = 4, _("4 highly sensitive")
    L5 = 5, _("5 core")


class DataElement(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80)
    data_type = models.CharField(_("type"), max_length=10)
    length = models.PositiveSmallIntegerField(_("length"), default=0)
    fmt = models.CharField(_("format"), max_length=120, blank=True)
    code_set = models.CharField(_("code set"), max_length=40, blank=True)
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity level"), choices=SensitivityLevel.choices, default=1
    )
    data_class = models.CharField(_("personal financial information class"), max_length=2, default="C1")
    mask = models.CharField(_("display masking"), max_length=12, blank=True)
    owner = models.CharField(_("owner"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        permissions = [("reveal_sensitive", "May see unmasked sensitive values (audited)")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sensitivity__gte=1, sensitivity__lte=5), name="datahub_element_sensitivity"
            ),
            models.CheckConstraint(
                condition=models.Q(data_class__in=["C1", "C2", "C3"]), name="datahub_element_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class FieldMapping(models.Model):
    """Source field → standard element, with an optional map of source values to standard codes."""

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="mappings")
    source_field = models.CharField(_("source field"), max_length=60)
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="mappings")
    value_map = models.JSONField(_("value map"), default=dict, blank=True)

    class Meta:
        ordering = ["source", "element__code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_field"], name="datahub_mapping_field"),
            models.UniqueConstraint(fields=["source", "element"], name="datahub_mapping_element"),
        ]

    def __str__(self) -> str:
        return f"{self.source_field} → {self.element_id}"


class MaskingPolicy(models.Model):
    """A versioned, configurable display-masking policy; exactly one is active."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    rules = models.JSONField(_("rules"))
    is_active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="datahub_one_active_policy"
            )
        ]

    # --- Quality (DATA-2) ----------------------------------------------------------------------------

    def __str__(self) -> str:
        return self.version


class RuleKind(models.TextChoices):
    COMPLETENESS = "completeness", _("Completeness")
    FORMAT = "format", _("Format")
    USCC = "uscc", _("USCC check digit")
    ID_NUMBER = "id_number", _("ID number check digit")
    CODE_SET = "code_set", _("Code-set membership")
    RANGE = "range", _("Range")
    UNIQUENESS = "uniqueness", _("Uniqueness")
    CONSISTENCY = "consistency", _("Cross-field consistency")
    TIMELINESS = "timeliness", _("Timeliness")


class Severity(models.TextChoices):
    ERROR = "error", _("Error: reject the row")
    WARN = "warn", _("Warning: keep the row, report it")


class QualityRule(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    element = models.CharField(_("element"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    severity = models.CharField(_("severity"), max_length=5, choices=Severity.choices, default=Severity.ERROR)
    warn_below = models.DecimalField(_("warn below pass rate %"), max_digits=5, decimal_places=2, default=99)
    error_below = models.DecimalField(
        _("error below pass rate %"), max_digits=5, decimal_places=2, default=95
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "code"]

    def __str__(self) -> str:
        return self.code


class QualityIssue(models.Model):
    batch = models.ForeignKey(IngestionBatch, on_delete=models.PROTECT, related_name="issues")
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="issues")
    rule_code = models.CharField(_("rule"), max_length=60)
    summary = models.CharField(_("summary"), max_length=300)
    failed_rows = models.PositiveIntegerField(_("failed rows"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["batch", "rule_code"], name="datahub_issue_per_rule")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.rule_code}"


class QualityIssueEvent(models.Model):
    issue = models.ForeignKey(QualityIssue, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
