import polars as pl
import pytest

from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.core.identifiers import make_uscc
from dfsp.datahub import generator, selectors, services
from dfsp.datahub.models import CreditRecord, FailedRow, QualityIssue
from dfsp.datahub.states import BatchStatus

GOOD = make_uscc("91", "230603", "MA1C4QY7")
OTHER = make_uscc("91", "230622", "MA1BNW82")

HEADER = "uscc,ent_name,reg_status,reg_capital,established_on,legal_rep_name,division,industry\n"


def csv_rows(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_clean_upload_loads_records_with_lineage(source, ingest):
    # when
    batch = ingest(
        source,
        "reg.csv",
        csv_rows(f"{GOOD},大庆华源石化新材料有限公司,active,5000,2015-03-02,王建国,230603,C"),
    )
    # then
    assert batch.status == BatchStatus.SUCCEEDED, batch.error
    assert (batch.rows_read, batch.rows_accepted, batch.rows_rejected, batch.rows_changed) == (1, 1, 0, 1)
    record = CreditRecord.objects.get(uscc=GOOD, category="registration")
    assert record.batch_id == batch.pk and record.source_id == source.pk
    assert record.code == "active" and record.data["ent_name"] == "大庆华源石化新材料有限公司"
    assert str(record.event_date) == "2015-03-02"


def test_same_batch_twice_changes_nothing(source, ingest):
    content = csv_rows(f"{GOOD},甲公司,active,10,2015-03-02,王建国,230603,C")
    first = ingest(source, "reg.csv", content)
    second = ingest(source, "reg-again.csv", content)
    assert second.status == BatchStatus.DUPLICATE and second.duplicate_of_id == first.pk
    assert CreditRecord.objects.get(uscc=GOOD).batch_id == first.pk
    # Same rows in a different file (other bytes): loaded, but no record changes.
    third = ingest(source, "reg.csv", content + b"\n")
    assert third.status == BatchStatus.SUCCEEDED and third.rows_changed == 0
    assert CreditRecord.objects.get(uscc=GOOD).batch_id == first.pk


def test_changed_value_updates_record_and_lineage(source, ingest):
    ingest(source, "a.csv", csv_rows(f"{GOOD},甲公司,active,10,2015-03-02,王建国,230603,C"))
    second = ingest(source, "b.csv", csv_rows(f"{GOOD},甲公司,revoked,10,2015-03-02,王建国,230603,C"))
    record = CreditRecord.objects.get(uscc=GOOD)
    assert record.code == "revoked" and record.batch_id == second.pk and second.rows_changed == 1


def test_bad_rows_are_rejected_with_reasons_and_good_rows_loaded(source, ingest):
    bad_check = GOOD[:17] + ("1" if GOOD[17] != "1" else "2")
    batch = ingest(
        source,
        "reg.csv",
        csv_rows(
            f"{GOOD},甲公司,active,10,2015-03-02,王建国,230603,C",
            f"{bad_check},乙公司,active,10,2015-03-02,李明,230603,C",
            f"{OTHER},,active,10,2015-03-02,李明,999999,C",
            f"{make_uscc('91', '230602', 'MA000001')},丙公司,active,10,2015-13-45,李明,230602,C",
        ),
    )
    assert batch.status == BatchStatus.SUCCEEDED
    assert (batch.rows_read, batch.rows_accepted, batch.rows_rejected) == (4, 1, 3)
    reasons = {r.row_number: " ".join(r.reasons) for r in FailedRow.objects.filter(batch=batch)}
    assert "uscc-check" in reasons[3]
    assert "reg-name-present" in reasons[4] and "reg-division-code" in reasons[4]
    assert "std-established_on" in reasons[5]
    assert list(CreditRecord.objects.values_list("uscc", flat=True)) == [GOOD]
    assert QualityIssue.objects.filter(batch=batch, rule_code="uscc-check").exists()


def test_gbk_csv_is_read(source, ingest):
    content = (
        "统一社会信用代码,企业名称,登记状态,行政区划\n" + f"{GOOD},大庆丰禾农业发展有限公司,active,230603\n"
    ).encode("gbk")
    batch = ingest(source, "gbk.csv", content)
    assert batch.status == BatchStatus.SUCCEEDED and batch.encoding == "gbk"
    assert CreditRecord.objects.get(uscc=GOOD).data["ent_name"] == "大庆丰禾农业发展有限公司"


def test_json_and_xlsx_uploads(source, ingest, tmp_path):
    import json

    from openpyxl import Workbook

    batch = ingest(
        source, "a.json", json.dumps([{"uscc": GOOD, "ent_name": "甲公司", "reg_status": "active"}]).encode()
    )
    assert batch.status == BatchStatus.SUCCEEDED and batch.rows_accepted == 1
    book = Workbook()
    book.active.append(["uscc", "ent_name", "reg_status"])
    book.active.append([OTHER, "乙公司", "active"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    batch = ingest(source, "a.xlsx", path.read_bytes())
    assert batch.status == BatchStatus.SUCCEEDED and CreditRecord.objects.filter(uscc=OTHER).exists()


def test_missing_key_column_fails_the_run_and_writes_nothing(source, ingest):
    batch = ingest(source, "reg.csv", b"ent_name,reg_status\n\xe7\x94\xb2,active\n")
    assert batch.status == BatchStatus.FAILED and "uscc" in batch.error
    assert not CreditRecord.objects.exists()
    # the next run is unaffected
    ok = ingest(source, "reg.csv", csv_rows(f"{GOOD},甲公司,active,10,2015-03-02,王建国,230603,C"))
    assert ok.status == BatchStatus.SUCCEEDED


def test_extra_columns_are_reported_and_malformed_rows_rejected(source, ingest):
    content = (
        "uscc,ent_name,reg_status,colour\n"
        + f"{GOOD},甲公司,active,red\n"
        + f"{OTHER},乙公司\n"
        + "x,y,z,w,v\n"
    ).encode()
    batch = ingest(source, "reg.csv", content)
    assert batch.status == BatchStatus.SUCCEEDED
    assert batch.report["ignored_columns"] == ["colour"]
    assert batch.rows_read == 3 and batch.rows_rejected == 2
    assert any("malformed" in r for row in FailedRow.objects.filter(batch=batch) for r in row.reasons)


def test_undecodable_file_fails_cleanly(source, ingest):
    batch = ingest(source, "reg.csv", b"uscc,ent_name\n\xff\xfe\xfa\xfb\x80\x81,\xff\n")
    assert batch.status == BatchStatus.FAILED and batch.error


def test_huge_file_refused(source, operator_user, settings):
    from dfsp.datahub.tests.conftest import upload

    settings.DATAHUB_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationFailed) as excinfo:
        services.submit_upload(
            actor=operator_user, source=source, uploaded_file=upload("big.csv", b"x" * 101)
        )
    assert "file" in excinfo.value.field_errors
    with pytest.raises(ValidationFailed):
        services.submit_upload(
            actor=operator_user, source=source, uploaded_file=upload("a.csv", b"%PDF-1.4 \x00\x01" * 3)
        )
    with pytest.raises(ValidationFailed):
        services.submit_upload(actor=operator_user, source=source, uploaded_file=upload("a.exe", b"MZ"))


def test_only_operators_submit(source, regulator, enterprise_admin):
    from dfsp.datahub.tests.conftest import upload

    for actor in (regulator, enterprise_admin):
        with pytest.raises(AccessDenied):
            services.submit_upload(actor=actor, source=source, uploaded_file=upload("a.csv", b"uscc\n"))


def test_generated_file_planted_dirt_is_found(source, ingest, tmp_path):
    summary = generator.generate(enterprises=3000, out=tmp_path, dirty_share=0.02)
    batch = ingest(source, "registration.csv", (tmp_path / "registration.csv").read_bytes())
    planted = pl.read_csv(tmp_path / "dirty.csv").filter(pl.col("file") == "registration")
    failed = {r.row_number for r in FailedRow.objects.filter(batch=batch, rejected=True)}
    assert batch.status == BatchStatus.SUCCEEDED
    assert failed == set(planted["row"].to_list())
    assert batch.rows_rejected == summary["dirty_registration"]
    assert CreditRecord.objects.count() == 3000 - summary["dirty_registration"]
    assert batch.quality["dimensions"]["validity"] < 100


def test_profile_service_gives_current_view_with_lineage(source, tax_source, ingest):
    ingest(
        source,
        "reg.csv",
        csv_rows(f"{GOOD},大庆华源石化新材料有限公司,active,5000,2015-03-02,王建国,230603,C"),
    )
    tax = ingest(
        tax_source,
        "tax.csv",
        (f"uscc,period,tax_grade,tax_paid\n{GOOD},2026-09,B,1000\n{GOOD},2026-10,A,1200.5\n").encode(),
    )
    profile = selectors.get_credit_profile(uscc=GOOD.lower())
    assert profile.name == "大庆华源石化新材料有限公司"
    assert profile.registration["reg_status"] == "active"
    current = profile.sections["tax"].current
    assert (current.period, current.code, current.batch_id, current.source_code) == (
        "2026-10",
        "A",
        tax.pk,
        "tax",
    )
    assert not profile.on_watchlist


def test_profile_of_unknown_enterprise_is_not_found(standards):
    from dfsp.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.get_credit_profile(uscc=OTHER)


def test_demo_seed_loads_through_ingestion(db, capsys):
    import io

    from dfsp.accounts import demo as accounts_demo
    from dfsp.datahub import demo

    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())  # idempotent
    profile = selectors.get_credit_profile(uscc=GOOD)
    assert profile.name and "tax" in profile.sections
    assert QualityIssue.objects.exists()
