"""Blacklist maintenance and import (CSV in UTF-8 or GBK, XLSX) with a per-row report."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dfsp.accounts.selectors import organisation_of
from dfsp.core.errors import AccessDenied, Conflict, ValidationFailed
from dfsp.core.identifiers import make_uscc
from dfsp.enterprises import services
from dfsp.enterprises.models import BlacklistEntry, Certification
from dfsp.enterprises.states import CertificationStatus as S
from dfsp.enterprises.tests.helpers import audit_events, blacklist, certify

pytestmark = pytest.mark.django_db

GOOD = make_uscc("91", "230602", "MA1A8Q3N")
HEADER = "统一社会信用代码,名称,名单类型,来源,原因,发布机关,开始日期,结束日期\n"


def csv_upload(text: str, encoding: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("blacklist.csv", text.encode(encoding), content_type="text/csv")


@pytest.mark.parametrize("encoding,label", [("utf-8-sig", "UTF-8"), ("gbk", "GBK")])
def test_csv_import_detects_encoding_and_reports_each_row(operator_user, encoding, label):
    text = (
        HEADER
        + f"{GOOD},大庆市鑫盛达商贸有限公司,失信被执行人,中国执行信息公开网,拒不履行,萨尔图区人民法院,2025-03-12,\n"
        + "123,坏数据公司,失信被执行人,来源,原因,机关,2025-01-01,\n"
        + f"{GOOD},大庆市鑫盛达商贸有限公司,未知名单,来源,原因,机关,2025/01/01,\n"
    )
    report = services.import_blacklist(actor=operator_user, upload=csv_upload(text, encoding))
    assert report.encoding == label
    assert [(row.line, row.ok) for row in report.rows] == [(2, True), (3, False), (4, False)]
    assert BlacklistEntry.objects.get().name == "大庆市鑫盛达商贸有限公司"
    # importing the same file again reports duplicates instead of adding rows
    again = services.import_blacklist(actor=operator_user, upload=csv_upload(text, encoding))
    assert again.imported == 0 and BlacklistEntry.objects.count() == 1
    assert audit_events(event_type="enterprises.blacklist.imported").count() == 2


def test_xlsx_import_flags_a_certified_enterprise(operator_user, enterprise_admin):
    certify(enterprise_admin, operator_user)
    uscc = organisation_of(enterprise_admin).uscc
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "名称", "名单类型", "来源", "原因", "发布机关", "开始日期", "结束日期"])
    sheet.append(
        [uscc, "测试企业", "严重失信主体名单", "信用中国", "虚开发票", "税务局", date(2025, 1, 1), None]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = services.import_blacklist(
        actor=operator_user, upload=SimpleUploadedFile("list.xlsx", buffer.getvalue())
    )
    assert report.imported == 1 and report.encoding == "xlsx"
    assert Certification.objects.get(organisation__uscc=uscc).status == S.RE_REVIEW_REQUIRED


def test_a_file_with_missing_columns_or_binary_content_is_refused(operator_user):
    with pytest.raises(ValidationFailed):
        services.import_blacklist(actor=operator_user, upload=csv_upload("a,b\n1,2\n", "utf-8"))
    with pytest.raises(ValidationFailed):
        services.import_blacklist(
            actor=operator_user, upload=SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
        )
    assert not BlacklistEntry.objects.exists()


def test_entries_are_edited_and_ended_by_operators_only(operator_user, enterprise_admin):
    entry = blacklist(operator_user, GOOD)
    with pytest.raises(AccessDenied):
        blacklist(enterprise_admin, GOOD)
    with pytest.raises(ValidationFailed) as exc:
        services.update_blacklist_entry(
            actor=operator_user,
            entry_id=entry.pk,
            uscc=GOOD,
            name="x",
            kind="other",
            source="s",
            reason="r",
            issuing_body="b",
            start_date=date(2025, 5, 1),
            end_date=date(2025, 4, 1),
        )
    assert "end_date" in exc.value.field_errors
    services.end_blacklist_entry(actor=operator_user, entry_id=entry.pk)
    assert not BlacklistEntry.objects.in_force().exists()
    with pytest.raises(Conflict):
        services.end_blacklist_entry(actor=operator_user, entry_id=entry.pk)


def test_blacklist_pages(client, login, operator_user, enterprise_admin):
    login(operator_user)
    response = client.post(
        reverse("enterprises:blacklist_create"),
        {
            "uscc": GOOD,
            "name": "大庆市鑫盛达商贸有限公司",
            "kind": "judgment_defaulter",
            "source": "中国执行信息公开网",
            "reason": "拒不履行",
            "issuing_body": "萨尔图区人民法院",
            "start_date": "2025-03-12",
        },
    )
    assert response.status_code == 302
    entry = BlacklistEntry.objects.get()
    assert "大庆市鑫盛达商贸有限公司" in client.get(reverse("enterprises:blacklist")).content.decode()
    bad = client.post(
        reverse("enterprises:blacklist_create"),
        {
            "uscc": "123",
            "name": "x",
            "kind": "other",
            "source": "s",
            "reason": "r",
            "issuing_body": "b",
            "start_date": "2025-01-01",
        },
    )
    assert bad.status_code == 200 and "uscc" in bad.context["form"].errors
    upload = csv_upload(HEADER + "bad,,,,,,,\n", "utf-8")
    report = client.post(reverse("enterprises:blacklist_import"), {"file": upload})
    assert report.status_code == 200 and report.context["report"].failed == 1
    assert client.post(reverse("enterprises:blacklist_end", args=[entry.pk])).status_code == 302
    assert client.post(reverse("enterprises:blacklist_end", args=[entry.pk])).status_code == 409
    login(enterprise_admin)
    assert client.get(reverse("enterprises:blacklist")).status_code == 403
    assert client.post(reverse("enterprises:blacklist_end", args=[entry.pk])).status_code == 403
