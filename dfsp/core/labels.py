"""Human-readable labels for codes that travel between apps (roles, audit event types, jobs).

Apps register their own codes in AppConfig.ready(); a reader such as the audit trail shows the
label without importing the app that owns the code.
"""

from django.utils.functional import Promise

_labels: dict[str, dict[str, str | Promise]] = {}


def register(kind: str, labels: dict[str, str | Promise]) -> None:
    _labels.setdefault(kind, {}).update(labels)


def label(kind: str, code: str) -> str:
    """The label of ``code``; unknown codes are shown as they are. Comma-joined codes are split."""
    known = _labels.get(kind, {})
    if "," in (code or ""):
        return "、".join(str(known.get(part, part)) for part in code.split(","))
    return str(known.get(code, code))
