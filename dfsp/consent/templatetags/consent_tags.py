from django import template

from dfsp.consent.selectors import scope_names

register = template.Library()


@register.filter
def scope_list(codes) -> str:
    """``{{ grant.scope_codes|scope_list }}`` → 工商登记、纳税 (unknown codes shown as they are)."""
    return "、".join(scope_names(codes or []))
