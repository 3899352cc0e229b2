"""Structured logging: one JSON object per line, with the request id, and no secrets or personal data."""

import json
import logging
import re
from datetime import UTC, datetime

from dfsp.core.request_context import current_request_id

_SENSITIVE_KEYS = re.compile(
    r"pass(word)?|secret|token|otp|api[_-]?key|authorization|cookie|mobile|phone|id_?card|uscc", re.I
)
# Mainland mobile numbers and 18-digit ID numbers are masked even inside free text.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_BEARER = re.compile(r"(dfsp_[a-z0-9]{8}_)[A-Za-z0-9_-]+")


def redact_text(text: str) -> str:
    text = _MOBILE.sub(r"\1****\2", text)
    text = _ID_NUMBER.sub(r"\1********\2", text)
    return _BEARER.sub(r"\1***", text)


def redact_value(key: str, value):
    if _SENSITIVE_KEYS.search(key):
        return "***"
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_value(key, item) for item in value]
    # Any other object (e.g. the request Django's loggers attach, whose text carries the query
    # string) is logged as its redacted text, never as whatever str() would have let through.
    try:
        return redact_text(str(value))
    except Exception:
        return f"<{type(value).__name__}>"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not break the request
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        return True


_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "request_id",
    "asctime",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                payload[key] = redact_value(key, value)
        if record.exc_info:
            payload["exception"] = redact_text(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False, default=str)
