"""Each rule type on hand-built frames, and the feedback/correction loop."""

from datetime import date

import polars as pl
import pytest

from dfsp.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from dfsp.core.identifiers import make_uscc
from dfsp.datahub import pipeline, services
from dfsp.datahub.models import FailedRow, QualityIssue
from dfsp.datahub.pipeline import RuleSpec
from dfsp.datahub.states import BatchStatus, IssueStatus
from dfsp.datahub.tests.conftest import upload

TODAY = date(2026, 11, 25)
GOOD = make_uscc("91", "230603", "MA1C4QY7")


def passes(rule: RuleSpec, frame: pl.DataFrame) -> list[bool]:
    checked, stats = pipeline.check(frame, [rule], today=TODAY)
    return checked["__pass_" + rule.code].to_list()


def test_completeness():
    frame = pl.DataFrame({"ent_name": ["甲", None]})
    assert passes(RuleSpec("c", "completeness", "ent_name"), frame) == [True, False]


def test_format():
    frame = pl.DataFrame({"m": ["13804590001", "1234", None]})
    assert passes(RuleSpec("f", "format", "m", {"pattern": r"^1[3-9]\d{9}$"}), frame) == [True, False, True]


def test_uscc_check_digit_matches_the_reference_implementation():
    from dfsp.core.identifiers import is_valid_uscc

    codes = [
        GOOD,
        GOOD[:17] + "0",
        make_uscc("N2", "230624", "MA1E3R0P"),
        "91230603MA1C4QY7I0",
        "123",
        "9123060",
    ]
    frame = pl.DataFrame({"uscc": codes})
    assert passes(RuleSpec("u", "uscc", "uscc"), frame) == [is_valid_uscc(c) for c in codes]


def test_id_number_check_digit():
    from stdnum.cn import ric

    valid = "11010519491231002X"
    frame = pl.DataFrame({"id": [valid, valid[:-1] + "1", "110105194913310021", "abc"]})
    assert ric.is_valid(valid)
    assert passes(RuleSpec("i", "id_number", "id"), frame) == [True, False, False, False]


def test_code_set_membership():
    frame = pl.DataFrame({"g": ["A", "E", None]})
    assert passes(RuleSpec("cs", "code_set", "g", {"values": ["A", "B", "M", "C", "D"]}), frame) == [
        True,
        False,
        True,
    ]


def test_range():
    frame = pl.DataFrame({"x": ["5", "-1", "1e9", "abc"]})
    assert passes(RuleSpec("r", "range", "x", {"min": 0, "max": 1000}), frame) == [True, False, False, True]


def test_uniqueness_within_a_batch():
    frame = pl.DataFrame({"uscc": ["a", "b", "a"], "period": ["1", "1", "2"]})
    assert passes(RuleSpec("u", "uniqueness", "uscc", {"columns": ["uscc"]}), frame) == [False, True, False]
    assert passes(RuleSpec("u2", "uniqueness", "uscc", {"columns": ["uscc", "period"]}), frame) == [
        True,
        True,
        True,
    ]


def test_cross_field_consistency():
    frame = pl.DataFrame(
        {"filed_on": ["2024-01-01", "2024-05-01"], "closed_on": ["2024-03-01", "2024-02-01"]}
    )
    rule = RuleSpec("k", "consistency", "closed_on", {"op": ">=", "right": "$filed_on", "type": "date"})
    assert passes(rule, frame) == [True, False]
    future = pl.DataFrame({"established_on": ["2020-01-01", "2099-01-01"]})
    assert passes(
        RuleSpec("k2", "consistency", "established_on", {"op": "<=", "right": "today"}), future
    ) == [True, False]


def test_timeliness():
    frame = pl.DataFrame({"period": ["2026-10", "2020-01"], "d": ["2026-11-01", "2010-01-01"]})
    assert passes(RuleSpec("t", "timeliness", "period", {"type": "period", "max_age_days": 730}), frame) == [
        True,
        False,
    ]
    assert passes(RuleSpec("t2", "timeliness", "d", {"max_age_days": 365}), frame) == [True, False]


def test_thresholds_give_levels_and_dimension_scores():
    frame = pl.DataFrame({"ent_name": ["a"] * 97 + [None] * 3, "g": ["A"] * 100})
    rules = [
        RuleSpec("c", "completeness", "ent_name", warn_below=99, error_below=95),
        RuleSpec("cs", "code_set", "g", {"values": ["A"]}),
    ]
    _, stats = pipeline.check(frame, rules, today=TODAY)
    assert stats[0]["level"] == "warn" and stats[0]["pass_rate"] == 97.0 and stats[1]["level"] == "ok"
    assert pipeline.scores(stats) == {
        "dimensions": {"completeness": 97.0, "conformity": 100.0},
        "overall": 98.5,
    }


def test_warning_rows_are_kept_error_rows_rejected():
    frame = pl.DataFrame(
        {"uscc": [GOOD, "bad", GOOD], "m": ["1", "13804590001", "13804590001"]}
    ).with_row_index(pipeline.ROW)
    rules = [
        RuleSpec("u", "uscc", "uscc"),
        RuleSpec("f", "format", "m", {"pattern": r"^1\d{10}$"}, severity="warn"),
    ]
    checked, stats = pipeline.check(frame, rules, today=TODAY)
    accepted, failing = pipeline.split(checked, stats)
    assert accepted[pipeline.ROW].to_list() == [0, 2]
    assert failing.select(pipeline.ROW, "__rejected").rows() == [(0, False), (1, True)]


# --- The correction loop -----------------------------------------------------------------------------

BAD = f"uscc,period,tax_grade,tax_paid\n{GOOD},2026-10,A,100\n{GOOD},2026-09,E,100\n"
FIXED = f"uscc,period,tax_grade,tax_paid\n{GOOD},2026-09,B,100\n"


@pytest.fixture
def issue(tax_source, ingest):
    batch = ingest(tax_source, "tax.csv", BAD.encode())
    assert batch.rows_rejected == 1
    return QualityIssue.objects.get(batch=batch, rule_code="tax-grade-code")


def test_feedback_notifies_the_source_owner_and_correction_closes_the_issue(
    issue, operator_user, owner, ingest
):
    from dfsp.notifications.models import Message

    services.send_feedback(actor=operator_user, issue=issue, note="请更正")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.FEEDBACK_SENT
    assert Message.objects.filter(recipient=owner, category="datahub.quality").exists()
    correction = ingest(issue.source, "fixed.csv", FIXED.encode(), corrects_issue=issue)
    issue.refresh_from_db()
    assert correction.status == BatchStatus.SUCCEEDED and issue.status == IssueStatus.CLOSED
    assert FailedRow.objects.get(batch=issue.batch).resolved_by_id == correction.pk
    assert list(issue.events.values_list("to_status", flat=True)) == [
        "feedback_sent",
        "resubmitted",
        "closed",
    ]


def test_a_correction_that_still_fails_goes_back_to_the_owner(issue, ingest):
    ingest(
        issue.source, "still-bad.csv", BAD.replace("2026-10,A", "2026-08,A").encode(), corrects_issue=issue
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.FEEDBACK_SENT


def test_illegal_transitions_are_refused(issue, operator_user):
    services.waive_issue(actor=operator_user, issue=issue, reason="历史数据，已人工核实")
    with pytest.raises(InvalidTransition):
        services.send_feedback(actor=operator_user, issue=issue)
    with pytest.raises(InvalidTransition):
        services.resubmit_correction(
            actor=operator_user, issue=issue, uploaded_file=upload("a.csv", FIXED.encode())
        )


def test_waiving_needs_a_reason_and_an_operator(issue, operator_user, regulator):
    with pytest.raises(ValidationFailed):
        services.waive_issue(actor=operator_user, issue=issue, reason=" ")
    with pytest.raises(AccessDenied):
        services.waive_issue(actor=regulator, issue=issue, reason="x")
    with pytest.raises(AccessDenied):
        services.send_feedback(actor=regulator, issue=issue)


def test_mapping_with_value_map_is_applied(tax_source, operator_user, ingest):
    from dfsp.datahub.models import CreditRecord

    services.set_mapping(
        actor=operator_user,
        source=tax_source,
        source_field="信用等级",
        element_code="tax_grade",
        value_map={"A级": "A"},
    )
    batch = ingest(tax_source, "t.csv", f"uscc,period,信用等级\n{GOOD},2026-10,A级\n".encode())
    assert batch.status == BatchStatus.SUCCEEDED and CreditRecord.objects.get().code == "A"
    with pytest.raises(ValidationFailed):
        services.set_mapping(actor=operator_user, source=tax_source, source_field="x", element_code="nope")
