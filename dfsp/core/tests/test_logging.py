"""Log lines are JSON with the request id and never carry secrets or unmasked personal data."""

import json
import logging

from dfsp.core import request_context
from dfsp.core.logging import JsonFormatter, RedactingFilter, RequestIdFilter


def format_record(message: str, *args, **extra) -> dict:
    record = logging.LogRecord("dfsp.test", logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    RequestIdFilter().filter(record)
    RedactingFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_a_log_line_is_json_with_the_request_id():
    token = request_context.activate(request_context.RequestContext(request_id="req-12345678"))
    try:
        line = format_record("user %s logged in", "ent_admin")
    finally:
        request_context.deactivate(token)
    assert line["request_id"] == "req-12345678"
    assert line["message"] == "user ent_admin logged in"
    assert line["level"] == "INFO"


def test_mobile_numbers_id_numbers_and_api_keys_are_masked_in_messages():
    line = format_record(
        "call from %s id %s key %s", "13804590001", "230602199001011234", "dfsp_abcdefgh_SECRETsecretSECRET"
    )
    assert "13804590001" not in line["message"] and "138****0001" in line["message"]
    assert "230602199001011234" not in line["message"] and "230602********1234" in line["message"]
    assert "SECRETsecretSECRET" not in line["message"] and "dfsp_abcdefgh_***" in line["message"]


def test_sensitive_extra_fields_are_replaced():
    line = format_record("login", password="Daqing#2026demo", token="abc", mobile="13804590001", path="/x")
    assert line["password"] == line["token"] == line["mobile"] == "***"
    assert line["path"] == "/x"


def test_a_malformed_log_call_does_not_raise():
    line = format_record("%d apples", "not a number")
    assert "apples" in line["message"]


def test_objects_attached_to_a_record_are_redacted_as_text():
    # Django's request logger attaches the request, whose text includes the query string.
    from django.test import RequestFactory

    request = RequestFactory().get("/enterprises/", {"q": "13804590001"})
    line = format_record("Not Found: %s", request.path, request=request, status_code=404, ids=["13804590001"])
    assert "13804590001" not in json.dumps(line, ensure_ascii=False)
    assert "138****0001" in line["request"]
    assert line["status_code"] == 404
    assert line["ids"] == ["138****0001"]


def test_the_configured_handler_writes_redacted_json_with_the_request_id():
    # Through the handler settings.LOGGING installs on the root logger, as Django's own loggers do.
    import io

    from django.test import RequestFactory

    handler = next(
        h for h in logging.getLogger().handlers if isinstance(getattr(h, "formatter", None), JsonFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    token = request_context.activate(request_context.RequestContext(request_id="req-abcdef12"))
    try:
        request = RequestFactory().get("/x/", {"mobile": "13804590001"})
        logging.getLogger("django.request").warning(
            "Bad request for %s", "13804590001", extra={"request": request, "password": "Daqing#2026demo"}
        )
    finally:
        request_context.deactivate(token)
        handler.setStream(previous)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["request_id"] == "req-abcdef12"
    assert line["password"] == "***"
    assert "13804590001" not in stream.getvalue()
