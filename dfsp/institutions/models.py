"""Institution profiles, branches, products with revisions, favourites and the ranking setup."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.institutions.codes import CREDIT_GRADE_CHOICES, ProductType
from dfsp.institutions.states import ProductStatus, RevisionStatus


class InstitutionType(models.TextChoices):
    BANKING = "banking", _("Banking institution")
    LOCAL_FINANCE = "local_finance", _("Local financial organisation")
    INSURANCE = "insurance", _("Insurance institution")
    OTHER = "other", _("Other")


class InstitutionProfile(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="institution_profile"
    )
    institution_type = models.CharField(_("institution type"), max_length=20, choices=InstitutionType.choices)
    licence_number = models.CharField(_("financial licence number"), max_length=40, blank=True)
    is_branch = models.BooleanField(_("branch"), default=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    parent_name = models.CharField(_("parent institution"), max_length=200, blank=True)
    service_regions = models.JSONField(_("service regions"), default=list)
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("institution profile")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_branch=True) | Q(parent__isnull=True),
                name="institution_head_office_has_no_parent",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation_id)


class Branch(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="branches"
    )
    name = models.CharField(_("name"), max_length=120)
    region_code = models.CharField(_("region (GB/T 2260)"), max_length=6)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("branch")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="branch_name_unique")]

    def __str__(self) -> str:
        return self.name


class OfficerBranch(models.Model):
    """Which branch a loan officer works at (at most one)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="officers")

    def __str__(self) -> str:
        return f"{self.user_id}@{self.branch_id}"


class Product(models.Model):
    """A financial product. Its content columns hold the approved (listed) content once approved;
    before the first approval they mirror the working revision."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="products"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    # Denormalised from the organisation for the listing (search and facets without joins).
    institution_name = models.CharField(_("institution"), max_length=200)
    institution_subtype = models.CharField(_("institution type"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    product_type = models.CharField(_("product type"), max_length=30, choices=ProductType.choices)
    amount_min = models.DecimalField(_("minimum amount (10k yuan)"), max_digits=18, decimal_places=2)
    amount_max = models.DecimalField(_("maximum amount (10k yuan)"), max_digits=18, decimal_places=2)
    term_min = models.PositiveIntegerField(_("minimum term (months)"))
    term_max = models.PositiveIntegerField(_("maximum term (months)"))
    rate_min = models.DecimalField(_("lowest annual rate (%)"), max_digits=6, decimal_places=2)
    rate_max = models.DecimalField(_("highest annual rate (%)"), max_digits=6, decimal_places=2)
    min_years = models.PositiveIntegerField(_("minimum years in business"), default=0)
    min_credit_grade = models.CharField(
        _("minimum credit grade"), max_length=3, choices=CREDIT_GRADE_CHOICES, blank=True
    )
    response_days = models.PositiveIntegerField(_("promised response (working days)"))
    description = models.TextField(_("description"))
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    tags = models.JSONField(_("tags"), default=list)
    repayment_methods = models.JSONField(_("repayment methods"), default=list)
    guarantee_methods = models.JSONField(_("guarantee methods"), default=list)
    target_regions = models.JSONField(_("target regions"), default=list)
    industries = models.JSONField(_("industries"), default=list)
    scales = models.JSONField(_("enterprise scales"), default=list)
    data_scopes = models.JSONField(_("data authorisation scopes"), default=list)
    materials = models.JSONField(_("required materials"), default=list)
    # Counters maintained by other modules (applications, evaluations).
    applications_count = models.PositiveIntegerField(_("applications"), default=0)
    rating = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    # Ranking: pinned products first, then the explainable score (see ranking.py).
    pinned = models.BooleanField(_("pinned"), default=False)
    score = models.FloatField(_("recommendation score"), default=0)
    score_factors = models.JSONField(default=dict)
    listed_at = models.DateTimeField(_("listed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("product")
        indexes = [
            models.Index(fields=["status", "pinned", "score"], name="product_recommended_idx"),
            models.Index(fields=["status", "listed_at"], name="product_newest_idx"),
            models.Index(fields=["status", "rate_min"], name="product_rate_idx"),
            models.Index(fields=["status", "applications_count"], name="product_applied_idx"),
            models.Index(fields=["status", "rating"], name="product_rated_idx"),
            models.Index(fields=["status", "product_type"], name="product_type_idx"),
            models.Index(fields=["organisation", "status"], name="product_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__lte=models.F("amount_max")), name="product_amount_range"
            ),
            models.CheckConstraint(
                condition=Q(term_min__lte=models.F("term_max")), name="product_term_range"
            ),
            models.CheckConstraint(
                condition=Q(rate_min__lte=models.F("rate_max")), name="product_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductRevision(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="revision_number_unique"),
            # At most one open (draft or submitted) revision per product.
            models.UniqueConstraint(
                fields=["product"], condition=Q(status__in=["draft", "submitted"]), name="revision_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}#{self.number}"


class ProductEvent(models.Model):
    """One row per state change of a product or one of its revisions."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(ProductRevision, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.action}"


class ProductFacet(models.Model):
    """Multi-valued listing attributes as rows, so filters and facet counts are plain SQL."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=12)  # tag, guarantee, region, industry
    code = models.CharField(max_length=30)

    class Meta:
        indexes = [models.Index(fields=["kind", "code", "product"], name="facet_lookup_idx")]
        constraints = [models.UniqueConstraint(fields=["product", "kind", "code"], name="facet_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="favourite_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}♥{self.product_id}"


class RankingConfig(models.Model):
    """The weights behind “recommended” (one row)."""

    weight_rate = models.DecimalField(_("rate attractiveness"), max_digits=5, decimal_places=2, default=30)
    weight_response = models.DecimalField(_("response time"), max_digits=5, decimal_places=2, default=15)
    weight_recency = models.DecimalField(_("recency"), max_digits=5, decimal_places=2, default=10)
    weight_applications = models.DecimalField(_("applications"), max_digits=5, decimal_places=2, default=20)
    weight_rating = models.DecimalField(_("rating"), max_digits=5, decimal_places=2, default=15)
    weight_completeness = models.DecimalField(_("completeness"), max_digits=5, decimal_places=2, default=10)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    FACTORS = ["rate", "response", "recency", "applications", "rating", "completeness"]

    def __str__(self) -> str:
        return "ranking"

    def weights(self) -> dict[str, float]:
        return {factor: float(getattr(self, f"weight_{factor}")) for factor in self.FACTORS}
