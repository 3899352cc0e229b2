from django import template

from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
from dfsp.core.regions import region_name
from dfsp.institutions.codes import DataScope, GuaranteeMethod, ProductTag, ProductType, RepaymentMethod

register = template.Library()

_CHOICES = {
    "tags": dict(ProductTag.choices),
    "repayment_methods": dict(RepaymentMethod.choices),
    "guarantee_methods": dict(GuaranteeMethod.choices),
    "data_scopes": dict(DataScope.choices),
    "industries": GBT4754_SECTIONS,
    "scales": ENTERPRISE_SCALES,
    "product_type": dict(ProductType.choices),
}


@register.filter
def code_labels(value, kind: str) -> str:
    """Readable labels for a code or a list of codes of one code set."""
    if value in (None, ""):
        return ""
    codes = value if isinstance(value, list) else [value]
    if kind == "target_regions":
        return "、".join(region_name(code) for code in codes)
    labels = _CHOICES.get(kind, {})
    return "、".join(str(labels.get(code, code)) for code in codes)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key) or {}
