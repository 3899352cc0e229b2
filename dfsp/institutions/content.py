"""Validation of product content (shared by pages, the API and the services)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfsp.core.errors import ValidationFailed
from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
from dfsp.core.regions import HEILONGJIANG_DIVISIONS
from dfsp.institutions.codes import (
    CREDIT_GRADES,
    DataScope,
    GuaranteeMethod,
    ProductTag,
    ProductType,
    RepaymentMethod,
)

TEXT_FIELDS = {"name": 100, "description": 4000, "contact_name": 60, "contact_phone": 30}
DECIMAL_FIELDS = ["amount_min", "amount_max", "rate_min", "rate_max"]
INT_FIELDS = ["term_min", "term_max", "min_years", "response_days"]
LIST_FIELDS = {
    "tags": ProductTag.values,
    "repayment_methods": RepaymentMethod.values,
    "guarantee_methods": GuaranteeMethod.values,
    "target_regions": list(HEILONGJIANG_DIVISIONS),
    "industries": list(GBT4754_SECTIONS),
    "scales": list(ENTERPRISE_SCALES),
    "data_scopes": DataScope.values,
}
FIELDS = [
    "name", "product_type", "amount_min", "amount_max", "term_min", "term_max", "rate_min", "rate_max",
    "repayment_methods", "guarantee_methods", "tags", "target_regions", "industries", "scales", "min_years",
    "min_credit_grade", "data_scopes", "materials", "response_days", "description", "contact_name",
    "contact_phone",
]  # fmt: skip
REQUIRED_FOR_SUBMIT = [
    "name", "product_type", "amount_min", "amount_max", "term_min", "term_max", "rate_min", "rate_max",
    "repayment_methods", "guarantee_methods", "target_regions", "response_days", "description",
    "contact_name", "contact_phone",
]  # fmt: skip
LABELS = {
    "name": gettext_lazy("Name"),
    "product_type": gettext_lazy("Product type"),
    "amount_min": gettext_lazy("Minimum amount (10k yuan)"),
    "amount_max": gettext_lazy("Maximum amount (10k yuan)"),
    "term_min": gettext_lazy("Minimum term (months)"),
    "term_max": gettext_lazy("Maximum term (months)"),
    "rate_min": gettext_lazy("Lowest annual rate (%)"),
    "rate_max": gettext_lazy("Highest annual rate (%)"),
    "repayment_methods": gettext_lazy("Repayment methods"),
    "guarantee_methods": gettext_lazy("Guarantee methods"),
    "tags": gettext_lazy("Tags"),
    "target_regions": gettext_lazy("Target regions"),
    "industries": gettext_lazy("Industries"),
    "scales": gettext_lazy("Enterprise scales"),
    "min_years": gettext_lazy("Minimum years in business"),
    "min_credit_grade": gettext_lazy("Minimum credit grade"),
    "data_scopes": gettext_lazy("Data authorisation scopes"),
    "materials": gettext_lazy("Required materials"),
    "response_days": gettext_lazy("Promised response (working days)"),
    "description": gettext_lazy("Description"),
    "contact_name": gettext_lazy("Contact person"),
    "contact_phone": gettext_lazy("Contact phone"),
}


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def clean_content(data: dict) -> dict:
    """Normalise a (possibly partial) content dict to JSON-safe values; raise on bad values."""
    errors: dict[str, str] = {}
    content: dict = {}
    unknown = set(data) - set(FIELDS)
    for name in unknown:
        errors[name] = _("Unknown field.")
    for name in FIELDS:
        value = data.get(name)
        if _empty(value):
            content[name] = [] if name in LIST_FIELDS or name == "materials" else ""
            continue
        if name in TEXT_FIELDS:
            value = str(value).strip()
            if len(value) > TEXT_FIELDS[name]:
                errors[name] = _("At most %(n)d characters.") % {"n": TEXT_FIELDS[name]}
            content[name] = value
        elif name == "product_type":
            if value not in ProductType.values:
                errors[name] = _("Choose a valid product type.")
            content[name] = str(value)
        elif name == "min_credit_grade":
            if value not in CREDIT_GRADES:
                errors[name] = _("Choose a valid credit grade.")
            content[name] = str(value)
        elif name in DECIMAL_FIELDS:
            try:
                number = Decimal(str(value))
                if not number.is_finite() or number < 0 or number >= Decimal("1e15"):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors[name] = _("Enter a non-negative number.")
                continue
            if name.startswith("rate") and number > 100:
                errors[name] = _("A rate is at most 100%.")
            content[name] = str(number.quantize(Decimal("0.01")))
        elif name in INT_FIELDS:
            try:
                number = int(value)
                if number < 0 or number > 1200:
                    raise ValueError
            except (TypeError, ValueError):
                errors[name] = _("Enter a whole number between 0 and 1200.")
                continue
            content[name] = number
        elif name == "materials":
            items = [str(item).strip()[:100] for item in (value if isinstance(value, list) else [value])]
            content[name] = [item for item in items if item][:30]
        else:
            items = value if isinstance(value, list) else [value]
            bad = [item for item in items if item not in LIST_FIELDS[name]]
            if bad:
                errors[name] = _("Unknown codes: %(codes)s") % {"codes": ", ".join(map(str, bad))[:100]}
            content[name] = sorted(set(map(str, items)))
    for low, high in (("amount_min", "amount_max"), ("term_min", "term_max"), ("rate_min", "rate_max")):
        if low in errors or high in errors or _empty(content.get(low)) or _empty(content.get(high)):
            continue
        if Decimal(str(content[low])) > Decimal(str(content[high])):
            errors[low] = _("The minimum must not exceed the maximum.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    return content


def ensure_complete(content: dict) -> None:
    missing = {
        name: _("Required before submitting.") for name in REQUIRED_FOR_SUBMIT if _empty(content.get(name))
    }
    if missing:
        raise ValidationFailed(
            _("The product is incomplete."), code="product_incomplete", field_errors=missing
        )
