"""Demo data of the data platform, loaded through the real ingestion path from generated files."""

import shutil
from datetime import date
from pathlib import Path

import polars as pl
from django.contrib.auth import get_user_model

from dfsp.core.identifiers import make_uscc
from dfsp.datahub import generator, services
from dfsp.datahub.models import DataSource, QualityIssue
from dfsp.datahub.states import IssueStatus

# The enterprise organisations seeded by dfsp/accounts/demo.py (same codes, same names).
ENTERPRISES = [
    (
        make_uscc("91", "230603", "MA1C4QY7"),
        "大庆龙凤华源石化新材料有限公司",
        "230603",
        "C",
        "26",
        "llc",
        "small",
        "李国华",
    ),
    (
        make_uscc("91", "230622", "MA1BNW82"),
        "大庆市肇源县丰禾农业发展有限公司",
        "230622",
        "A",
        "01",
        "llc",
        "micro",
        "王丰收",
    ),
    (
        make_uscc("93", "230623", "MA1D0E6H"),
        "林甸县绿野杂粮种植农民专业合作社",
        "230623",
        "A",
        "01",
        "coop",
        "micro",
        "赵玉兰",
    ),
    (
        make_uscc("N2", "230624", "MA1E3R0P"),
        "杜尔伯特蒙古族自治县胡吉吐莫村股份经济合作社",
        "230624",
        "A",
        "03",
        "collective",
        "micro",
        "包金山",
    ),
]

SOURCES = [
    (
        "aic-registration",
        "市场主体登记信息",
        "public_credit",
        "file_drop",
        "registration",
        "大庆市市场监督管理局",
        "每日 02:00",
    ),
    (
        "tax-credit",
        "纳税信用与缴税信息",
        "gov_exchange",
        "file_drop",
        "tax",
        "国家税务总局大庆市税务局",
        "每月 5 日",
    ),
    (
        "hrss-insurance",
        "社会保险参保缴费信息",
        "gov_exchange",
        "pull_api",
        "social_insurance",
        "大庆市人力资源和社会保障局",
        "每日 03:00",
    ),
    (
        "hf-center",
        "住房公积金缴存信息",
        "gov_exchange",
        "file_drop",
        "housing_fund",
        "大庆市住房公积金管理中心",
        "每月 10 日",
    ),
    (
        "utilities",
        "水电气缴费信息",
        "third_party",
        "file_drop",
        "utilities",
        "国网大庆供电公司、大庆市供水公司、大庆中石油昆仑燃气",
        "每月 8 日",
    ),
    ("court", "司法涉诉与执行信息", "public_credit", "file_drop", "judicial", "大庆市中级人民法院", "每周一"),
    (
        "ip-office",
        "专利与商标信息",
        "public_credit",
        "file_drop",
        "ip",
        "大庆市市场监督管理局（知识产权局）",
        "每月 1 日",
    ),
    (
        "double-public",
        "行政许可信息（双公示）",
        "public_credit",
        "file_drop",
        "licence",
        "大庆市政务服务中心",
        "每日",
    ),
    (
        "penalties",
        "行政处罚信息（双公示）",
        "public_credit",
        "file_drop",
        "penalty",
        "大庆市社会信用体系建设办公室",
        "每日",
    ),
    (
        "honours",
        "守信激励与荣誉信息",
        "manual",
        "file_drop",
        "honour",
        "大庆市社会信用体系建设办公室",
        "按需",
    ),
    (
        "watchlists",
        "经营异常名录与严重失信主体名单",
        "public_credit",
        "file_drop",
        "watchlist",
        "大庆市市场监督管理局",
        "每日",
    ),
    ("real-estate", "不动产登记信息", "gov_exchange", "file_drop", "real_estate", "大庆市自然资源局", "每月"),
    ("customs", "进出口信息", "third_party", "file_drop", "trade", "大庆海关", "每月"),
]


def _ric(first17: str) -> str:
    """A resident ID number with its GB 11643 check character (demo people are fictitious)."""
    from dfsp.datahub.pipeline import RIC_CHECK, RIC_WEIGHTS

    return first17 + RIC_CHECK[sum(int(c) * w for c, w in zip(first17, RIC_WEIGHTS, strict=True)) % 11]


def _months(count: int) -> list[str]:
    today = date.today()
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year}-{month:02d}")
    return out


def _write(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    generated = generator.registration_frame(40, seed=99)
    demo = pl.DataFrame(
        [
            {
                "uscc": u,
                "ent_name": n,
                "reg_status": "active",
                "reg_capital": cap,
                "established_on": est,
                "legal_rep_name": rep,
                "legal_rep_id": rid,
                "legal_rep_mobile": mob,
                "division": div,
                "industry": sec,
                "industry_division": dv,
                "ent_type": et,
                "scale": sc,
                "address": f"黑龙江省大庆市{n[:5]}路18号",
            }
            for (u, n, div, sec, dv, et, sc, rep), cap, est, rid, mob in zip(
                ENTERPRISES,
                ["5000", "800", "120", "300"],
                ["2012-06-18", "2016-03-09", "2019-11-02", "2020-07-15"],
                [
                    _ric("23060319820412341"),
                    _ric("23062219750708121"),
                    _ric("23062319691123452"),
                    _ric("23062419710215661"),
                ],
                ["13804590001", "13904590002", "15004590003", "18604590004"],
                strict=True,
            )
        ],
        schema=generated.schema,
    )
    dirty = generated.head(2).with_columns(
        pl.Series(
            "uscc",
            [
                generated["uscc"][0][:17] + ("1" if generated["uscc"][0][17] != "1" else "2"),
                generated["uscc"][1],
            ],
        ),
        pl.Series("division", ["230603", "239999"]),
    )
    registration = pl.concat([demo, generated.slice(2), dirty])
    # The registration source delivers GBK files with Chinese headers, as many government systems do.
    from dfsp.datahub.catalogue import ELEMENTS_BY_CODE

    headers = {c: ELEMENTS_BY_CODE[c].name_zh for c in registration.columns}
    files["aic-registration"] = folder / "登记信息.csv"
    files["aic-registration"].write_bytes(registration.rename(headers).write_csv().encode("gbk"))

    usccs = [e[0] for e in ENTERPRISES]
    months = _months(12)
    grades = {usccs[0]: "A", usccs[1]: "B", usccs[2]: "M", usccs[3]: "B"}
    tax_rows = ["纳税人识别号,所属期,信用等级,实缴税额,欠税金额"]
    for i, u in enumerate(usccs):
        for k, m in enumerate(months):
            paid = [186000, 42000, 8600, 15000][i] * (1 + (k % 3) / 10)
            tax_rows.append(f"{u},{m},{grades[u]}级,{paid:.2f},{'12800.00' if i == 2 and k == 0 else '0'}")
    tax_rows.append(f"{usccs[1]},{months[0]},E级,100.00,0")  # an unknown grade: rejected, reported
    files["tax-credit"] = folder / "tax.csv"
    files["tax-credit"].write_text("\n".join(tax_rows) + "\n", encoding="utf-8")

    def table(name: str, header: str, rows: list[str]) -> None:
        files[name] = folder / f"{name}.csv"
        files[name].write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")

    table(
        "hrss-insurance",
        "uscc,period,insured_count,si_arrears",
        [
            f"{u},{m},{[86, 23, 9, 14][i] + (k % 4)},0"
            for i, u in enumerate(usccs)
            for k, m in enumerate(months)
        ],
    )
    table(
        "hf-center",
        "uscc,period,hf_count,hf_arrears",
        [f"{u},{m},{[80, 18, 0, 6][i]},0" for i, u in enumerate(usccs[:2]) for m in months[:6]],
    )
    table(
        "utilities",
        "uscc,period,utility_type,consumption,payment_status",
        [
            f"{u},{m},{t},{v},{'overdue' if (i == 2 and t == 'electricity' and k == 0) else 'paid'}"
            for i, u in enumerate(usccs)
            for k, m in enumerate(months[:6])
            for t, v in (("water", 120 + 10 * i), ("electricity", 35000 // (i + 1)), ("gas", 900 // (i + 1)))
        ],
    )
    table(
        "court",
        "uscc,case_no,judicial_kind,case_role,case_cause,case_amount,filed_on,closed_on",
        [
            f"{usccs[0]},（2024）黑0603民初1562号,case,被告,买卖合同纠纷,385000,2024-04-11,2024-09-30",
            f"{usccs[2]},（2025）黑0623执388号,enforced,被执行人,借款合同纠纷,126000,2025-05-20,",
        ],
    )
    table(
        "ip-office",
        "uscc,ip_type,ip_no,ip_title,granted_on",
        [
            f"{usccs[0]},invention,ZL202110563218.4,一种聚烯烃催化剂的制备方法,2023-08-15",
            f"{usccs[0]},utility_model,ZL202220987654.1,一种石化原料输送装置,2022-12-02",
            f"{usccs[1]},trademark,第58239671号,丰禾,2022-03-27",
        ],
    )
    table(
        "double-public",
        "uscc,licence_no,licence_name,issuer,valid_until",
        [
            f"{usccs[0]},（黑）WH安许证字〔2023〕000158,危险化学品安全生产许可证,黑龙江省应急管理厅,2026-12-31",
            f"{usccs[1]},SC10623062200158,食品生产许可证,大庆市市场监督管理局,2027-05-31",
        ],
    )
    table(
        "penalties",
        "uscc,decision_no,penalty_reason,penalty_amount,issuer,decided_on",
        [f"{usccs[0]},庆环罚〔2024〕37号,未按规定设置危险废物识别标志,20000,大庆市生态环境局,2024-06-18"],
    )
    table(
        "honours",
        "uscc,honour_name,issuer,awarded_on",
        [
            f"{usccs[0]},黑龙江省专精特新中小企业,黑龙江省工业和信息化厅,2024-01-10",
            f"{usccs[1]},大庆市农业产业化重点龙头企业,大庆市农业农村局,2023-11-20",
        ],
    )
    table(
        "watchlists",
        "uscc,list_kind,listed_on,list_reason,removed_on,issuer",
        [
            f"{usccs[3]},abnormal,2024-05-06,未按规定期限公示年度报告,2024-08-12,杜尔伯特蒙古族自治县市场监督管理局"
        ],
    )
    table(
        "real-estate",
        "uscc,property_cert_no,property_usage,property_area,mortgaged",
        [
            f"{usccs[0]},黑（2021）大庆市不动产权第0031578号,工业用地,26800,Y",
            f"{usccs[1]},黑（2020）肇源县不动产权第0002466号,仓储用地,5200,N",
        ],
    )
    table(
        "customs",
        "uscc,period,import_amount,export_amount",
        [f"{usccs[0]},{m},{18 + k},{42 + 2 * k}" for k, m in enumerate(months[:6])],
    )
    return files


def seed(stdout) -> None:
    if DataSource.objects.filter(code="aic-registration", batches__isnull=False).exists():
        stdout.write("datahub: demo data present\n")
        return
    services.install_standards()
    owner = (
        get_user_model().objects.filter(username="credit_officer").first()
        or get_user_model().objects.filter(username="operator").first()
    )
    sources = {}
    for code, name, kind, delivery, category, department, schedule in SOURCES:
        sources[code] = DataSource.objects.filter(code=code).first() or services.create_source(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            delivery=delivery,
            category=category,
            owner_department=department,
            schedule=schedule,
            contact="0459-4668000",
            owner=owner,
            api_url="http://127.0.0.1:8765/records" if delivery == "pull_api" else "",
        )
    services.set_mapping(
        actor=None, source=sources["tax-credit"], source_field="纳税人识别号", element_code="uscc"
    )
    services.set_mapping(
        actor=None,
        source=sources["tax-credit"],
        source_field="信用等级",
        element_code="tax_grade",
        value_map={f"{g}级": g for g in "ABMCD"},
    )
    for source_field, element_code in (("实缴税额", "tax_paid"), ("欠税金额", "tax_arrears")):
        services.set_mapping(
            actor=None, source=sources["tax-credit"], source_field=source_field, element_code=element_code
        )
    folder = services.temp_dir()
    try:
        for code, path in _write(folder).items():
            batch = services.ingest_file_now(actor=None, source=sources[code], path=path)
            stdout.write(
                f"datahub: {code} run #{batch.pk} {batch.status} ({batch.rows_accepted}/{batch.rows_read})\n"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # The pull source points at the local simulator (manage.py run_source_simulator); paused so the
    # scheduler does not record failed pulls while no simulator runs.
    services.set_source_status(actor=None, source=sources["hrss-insurance"], status="paused")
    issue = QualityIssue.objects.filter(source=sources["tax-credit"], status=IssueStatus.OPEN).first()
    if issue is not None:
        services.send_feedback(actor=None, issue=issue, note="请核对信用等级代码（仅A/B/M/C/D）后重新报送。")
