from django import template

from dfsp.core.labels import label

register = template.Library()


@register.filter
def code_label(code: str, kind: str) -> str:
    """``{{ event.role|code_label:"role" }}`` → 系统管理员."""
    return label(kind, code or "")
