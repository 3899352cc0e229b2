"""能不能融、能融多少: eligibility of live products for an assessed enterprise and the indicative
limit per product (the stored limit version re-applied with the product's caps; nothing stored)."""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dfsp.credit.assessment import Assessment
from dfsp.credit.limits import compute_limit
from dfsp.credit.models import ModelVersion
from dfsp.credit.states import GRADES, ModelKind
from dfsp.institutions import selectors as institution_selectors


@dataclass(frozen=True)
class ProductOffer:
    product: object
    eligible: bool
    reasons: list  # why not eligible (translated labels)
    limit: Decimal  # yuan; 0 when not eligible
    apply_url: str = ""


def apply_url(product_id: int) -> str:
    """financing's apply page for the product (a higher app: only its URL name is used)."""
    return f"{reverse('financing:apply')}?product={int(product_id)}"


def grade_at_least(grade: str, minimum: str) -> bool:
    if not minimum:
        return True
    if grade not in GRADES or minimum not in GRADES:
        return False
    return GRADES.index(grade) <= GRADES.index(minimum)


def _ineligible(product, *, assessment: Assessment, region: str, industry: str, scale: str) -> list:
    reasons = []
    regions = set(product.target_regions or [])
    if regions and not regions & {region, region[:4] + "00", region[:2] + "0000"}:
        reasons.append(_("Outside the product's regions"))
    if product.industries and industry not in product.industries:
        reasons.append(_("Industry not served"))
    if product.scales and scale not in product.scales:
        reasons.append(_("Enterprise scale not served"))
    years = assessment.features.get("years_in_business")
    if product.min_years and (years is None or float(years) < product.min_years):
        reasons.append(_("Fewer years in business than required"))
    if not grade_at_least(assessment.grade, product.min_credit_grade or ""):
        reasons.append(_("Credit grade below the product's minimum"))
    return reasons


def offers_for(*, assessment: Assessment, organisation, profile=None, limit: int = 50) -> list[ProductOffer]:
    """Every live product with eligibility and the indicative limit, eligible ones first."""
    version = ModelVersion.objects.get(pk=assessment.model_version_ids[ModelKind.LIMIT])
    features = assessment.features
    region = organisation.region_code or ""
    industry = (getattr(profile, "industry", "") or features.get("industry") or "").upper()
    scale = getattr(profile, "scale", "") or features.get("scale") or ""
    base_inputs = {
        "annual_tax_paid": features.get("annual_tax_paid"),
        "insured_count": features.get("insured_count"),
        "grade": assessment.grade,
        "fraud_score": assessment.fraud_score,
    }
    offers = []
    products = institution_selectors.search_products(institution_selectors.MarketFilters())[:limit]
    for product in products:
        reasons = _ineligible(product, assessment=assessment, region=region, industry=industry, scale=scale)
        amount = Decimal(0)
        if not reasons:
            inputs = dict(
                base_inputs,
                product_id=product.pk,
                product_amount_max=str(product.amount_max),
                product_amount_min=str(product.amount_min),
            )
            amount = compute_limit(version.params, inputs).limit
            if amount <= 0:
                reasons.append(_("The indicative limit is below the product's minimum amount"))
        offers.append(
            ProductOffer(
                product=product,
                eligible=not reasons,
                reasons=[str(r) for r in reasons],
                limit=amount,
                apply_url=apply_url(product.pk),
            )
        )
    return sorted(offers, key=lambda o: (not o.eligible, -o.limit))
