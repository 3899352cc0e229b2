"""Base schemas for the JSON API.

Every request-body schema derives from ``InputSchema``: an unknown field is refused (422) rather
than silently dropped, so a client's typo never goes unnoticed. Response schemas derive from
``Schema`` as usual. ``ErrorOut`` documents the one error body every 4xx/5xx response carries.
"""

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldErrorOut]
    request_id: str | None
