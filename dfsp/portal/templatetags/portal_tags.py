import re

import nh3
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

register = template.Library()

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "ul", "ol", "li", "a", "blockquote"}


@register.filter
def clean_richtext(value) -> str:
    """Wagtail rich text, expanded and then sanitised again (never trust stored HTML)."""
    return mark_safe(nh3.clean(expand_db_html(value or ""), tags=ALLOWED_TAGS))  # noqa: S308 - nh3-cleaned


@register.filter
def highlight(value, query) -> str:
    """Escape the text, then wrap every (case-insensitive) occurrence of the query in <mark>."""
    text = escape(str(value or ""))
    query = escape(str(query or "").strip())
    if not query:
        return mark_safe(text)  # noqa: S308 - escaped above
    marked = re.sub(re.escape(query), lambda m: f"<mark>{m.group(0)}</mark>", text, flags=re.IGNORECASE)
    return mark_safe(marked)  # noqa: S308 - escaped above


# Page templates read through the portal's selectors here (models never import selectors).


@register.simple_tag
def live_children(page):
    from dfsp.portal import selectors

    return selectors.live_children(page)


@register.simple_tag
def policy_details(page):
    from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
    from dfsp.portal import selectors

    return {
        "industry_names": [GBT4754_SECTIONS.get(code, code) for code in page.industries],
        "scale_names": [ENTERPRISE_SCALES.get(code, code) for code in page.scales],
        "products": selectors.products_for_policy(page),
    }


@register.simple_tag
def chain_details(page):
    from dfsp.portal import selectors

    return {
        "policies": selectors.live_chain_policies(page),
        "products": selectors.products_for_industry(page.industry_code),
    }


@register.simple_tag
def member_institutions():
    from dfsp.portal import selectors

    return selectors.institutions()
