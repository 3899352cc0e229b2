"""Demo lending history of the demo population (enterprises' and institutions' demo_population):
about forty applications over the past twelve months, most of them approved and disbursed at seven
institutions (banks, a micro-loan company, a leasing company), repaid on their due dates; two
loans have missed their last two instalments, a few applications were rejected or withdrawn.

Every step goes through the financing and loans services with the clock set back to the day it
happened (time-machine, a development dependency: without it the history is skipped), so the
audit trail, application timings, lending statistics and the timeliness scorecard are genuine.
Idempotent: a loan is keyed by its contract number, any other application by enterprise and
product. Called by postloan's demo (after the loans demo, whose own loans are all 华源新材料's).
"""

import datetime as dt
import importlib.util
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from dfsp.enterprises.demo_population import by_key, months_back

# contract prefix and who acts for each institution (its demo officer, else its administrator)
INSTITUTIONS = {
    "工行大庆分行": ("GH", "bank_officer"),
    "大庆农商行": ("NSH", "rcb_officer"),
    "建行大庆分行": ("JH", "ccb_admin"),
    "龙江银行大庆分行": ("LJ", "ljbank_admin"),
    "邮储大庆分行": ("YC", "psbc_admin"),
    "丰源小贷": ("FYXD", "fengyuan_admin"),
    "龙庆租赁": ("LQZL", "longqing_admin"),
}
# enterprise key, institution, product, amount (10,000 yuan), months, submitted (months ago, day),
# repayment method, purpose, and how it ends: "" repaid as due | "overdue" (last two missed)
LOANS = [
    ("庆新油服", "建行大庆分行", "云税贷", 200, 12, (11, 10), "interest_first", "采购井下工具及支付作业队人工费用", ""),
    ("博润化工", "工行大庆分行", "经营快贷", 300, 12, (11, 18), "equal_instalment", "采购丙烯原料，保障冬季生产", ""),
    ("黎明软件", "建行大庆分行", "善新贷", 100, 24, (10, 9), "interest_first", "油田数字化巡检平台研发投入", ""),
    ("肇州牧业", "大庆农商行", "惠农e贷", 30, 12, (10, 15), "equal_instalment", "购进育肥牛犊 60 头", ""),
    ("萨区鑫达商贸", "邮储大庆分行", "小微易贷", 80, 6, (9, 6), "equal_instalment", "春节前备货", ""),
    ("油田钻具", "龙庆租赁", "设备直租", 360, 36, (9, 12), "equal_instalment", "租赁数控车床两台用于钻具加工", ""),
    ("让区安顺物流", "丰源小贷", "经营周转贷", 50, 6, (9, 20), "equal_instalment", "支付车辆保险及燃油费用", ""),
    ("肇源米业", "龙江银行大庆分行", "龙江惠农贷", 60, 9, (8, 5), "bullet", "春季收购稻谷", ""),
    ("大同玉米", "大庆农商行", "惠农e贷", 20, 12, (8, 10), "equal_instalment", "购买种子、化肥，春耕备耕", ""),
    ("杜蒙牧业", "龙江银行大庆分行", "龙江惠农贷", 50, 10, (8, 12), "interest_first", "购买饲草料及兽药", ""),
    ("井下作业", "工行大庆分行", "经营快贷", 150, 12, (8, 16), "equal_instalment", "支付修井作业外包费用", ""),
    ("林甸乳业", "邮储大庆分行", "产业链e贷", 120, 6, (8, 20), "bullet", "以对乳品厂的应收账款融资，支付奶源款", ""),
    ("肇州牧业", "丰源小贷", "农机贷", 40, 24, (7, 6), "equal_instalment", "购置青贮收获机一台", ""),
    ("大同粮贸", "龙江银行大庆分行", "油城经营贷", 100, 12, (7, 9), "equal_instalment", "粮食收购周转", ""),
    ("红岗建安", "建行大庆分行", "抵押快贷", 400, 36, (7, 13), "equal_principal", "以办公楼抵押，承接油田配套工程垫资", ""),
    ("萨区百佳超市", "建行大庆分行", "云税贷", 150, 12, (7, 15), "interest_first", "新开两家社区门店的装修及备货", ""),
    ("让区测井", "邮储大庆分行", "小微易贷", 100, 12, (7, 17), "equal_instalment", "测井仪器维修及备件采购", ""),
    ("龙凤塑编", "丰源小贷", "经营周转贷", 30, 12, (7, 21), "equal_instalment", "采购聚丙烯粒料", "overdue"),
    ("庆新油服", "龙庆租赁", "售后回租", 300, 24, (6, 8), "equal_instalment", "以压裂设备售后回租补充营运资金", ""),
    ("萨区鼎盛建材", "工行大庆分行", "经营快贷", 80, 12, (6, 12), "equal_instalment", "旺季建材备货", ""),
    ("肇源渔业", "大庆农商行", "首贷通", 20, 6, (6, 18), "equal_instalment", "购买鱼苗及饲料", ""),
    ("龙凤新材", "建行大庆分行", "善新贷", 200, 24, (6, 20), "interest_first", "改性材料中试线建设", ""),
    ("让区油管", "龙江银行大庆分行", "油城经营贷", 60, 12, (6, 22), "equal_instalment", "油管检测设备升级", ""),
    ("萨区速达快运", "丰源小贷", "经营周转贷", 40, 12, (5, 12), "equal_instalment", "新增两台冷链运输车首付", ""),
    ("井下作业", "龙庆租赁", "设备直租", 500, 36, (5, 19), "equal_instalment", "租赁修井机一台", ""),
    ("大同玉米", "丰源小贷", "农机贷", 30, 24, (5, 6), "equal_instalment", "购置玉米播种机", ""),
    ("大同油品", "邮储大庆分行", "产业链e贷", 150, 12, (4, 7), "bullet", "以对炼厂的应收账款融资", ""),
    ("龙凤机修", "建行大庆分行", "云税贷", 60, 12, (4, 14), "equal_instalment", "采购检修备件", ""),
    ("红岗抽油机", "丰源小贷", "经营周转贷", 30, 12, (4, 20), "equal_instalment", "支付钢材货款", "overdue"),
    ("萨区检测", "工行大庆分行", "经营快贷", 50, 12, (3, 9), "equal_instalment", "购置环境检测仪器", ""),
    ("让区环保", "龙庆租赁", "售后回租", 200, 24, (3, 16), "equal_instalment", "以污泥处理设备售后回租", ""),
    ("杜蒙旅游", "龙江银行大庆分行", "油城经营贷", 80, 12, (2, 8), "interest_first", "景区民宿改造", ""),
    ("林甸杂粮", "大庆农商行", "惠农e贷", 15, 12, (2, 14), "equal_instalment", "秋粮收购", ""),
    ("让区物资", "邮储大庆分行", "小微易贷", 100, 12, (2, 21), "equal_instalment", "油田物资集中采购", ""),
    ("龙凤电商", "建行大庆分行", "云税贷", 30, 12, (1, 8), "equal_instalment", "双十一备货及物流费用", ""),
    ("大同农机", "丰源小贷", "农机贷", 25, 12, (1, 13), "equal_instalment", "购置秋收收割机", ""),
    ("红岗酒店", "工行大庆分行", "经营快贷", 100, 12, (1, 15), "interest_first", "客房翻新改造", ""),
    ("油田钻具", "龙庆租赁", "售后回租", 240, 24, (1, 20), "equal_instalment", "以加工中心售后回租补充流动资金", ""),
    ("黎明软件", "邮储大庆分行", "小微易贷", 50, 12, (1, 22), "equal_instalment", "项目实施人员工资周转", ""),
]  # fmt: skip
# enterprise key, institution, product, amount, months, submitted, purpose, end:
# a rejection reason code (with the explanation) or "withdrawn"
OTHER_APPLICATIONS = [
    ("龙凤塑编", "建行大庆分行", "云税贷", 50, 12, (11, 22), "采购原料", ("cash_flow", "近六个月开票收入下降四成，经营现金流难以覆盖还款。")),
    ("萨区味道餐饮", "建行大庆分行", "云税贷", 30, 12, (9, 14), "门店装修", ("cash_flow", "纳税额不足产品准入要求，暂不能核定额度。")),
    ("红岗建安", "工行大庆分行", "经营快贷", 200, 12, (9, 24), "工程垫资", ("over_indebted", "现有银行负债与应收账款规模不匹配，负债率偏高。")),
    ("大同油品", "龙江银行大庆分行", "油城经营贷", 80, 12, (10, 20), "油品采购", "withdrawn"),
    ("红岗抽油机", "工行大庆分行", "经营快贷", 50, 12, (7, 24), "钢材采购", ("credit_record", "企业存在未结清的涉诉执行记录，请处理后再申请。")),
    ("肇州建工", "邮储大庆分行", "小微易贷", 60, 12, (5, 7), "支付材料款", ("credit_record", "法定代表人个人征信有连续逾期记录。")),
    ("萨区味道餐饮", "丰源小贷", "经营周转贷", 20, 6, (5, 21), "临时周转", "withdrawn"),
    ("杜蒙牧业", "龙庆租赁", "设备直租", 80, 24, (4, 10), "租赁饲草加工设备", ("industry_restriction", "设备直租目前仅服务油田服务、制造和建筑企业。")),
    ("肇州建工", "建行大庆分行", "抵押快贷", 300, 36, (4, 24), "工程垫资", ("collateral", "拟抵押房产评估价值不足申请金额的七成。")),
    ("红岗装饰", "龙江银行大庆分行", "油城经营贷", 30, 12, (3, 6), "材料采购", ("cash_flow", "成立时间较短，经营流水不足以支持申请额度。")),
    ("林甸乳业", "建行大庆分行", "善新贷", 100, 24, (3, 18), "新品研发", "withdrawn"),
    ("龙凤印务", "工行大庆分行", "经营快贷", 30, 12, (2, 15), "购置印刷设备", ("materials_incomplete", "缺少近一年财务报表，请补齐后重新申请。")),
    ("高新数智", "邮储大庆分行", "小微易贷", 50, 12, (2, 23), "人员工资", ("over_indebted", "在多家机构有未结清贷款，负债率偏高。")),
]  # fmt: skip


def _user(username):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _admin_of(organisation):
    from dfsp.accounts.roles import Role
    from dfsp.accounts.selectors import active_members

    return next(iter(active_members({Role.ENTERPRISE_ADMIN}, organisation)), None)


def _at(when: dt.datetime):
    """The clock set back to one step of the history."""
    import time_machine

    return time_machine.travel(when, tick=False)


def _parties(key, institution, product_name, uscc_by_key):
    organisations = apps.get_model("accounts", "Organisation").objects
    enterprise = organisations.filter(uscc=uscc_by_key.get(key)).first()
    lender = organisations.filter(short_name=institution).first()
    product = apps.get_model("institutions", "Product").objects.filter(
        organisation=lender, name=product_name, status="live"
    )
    staff = _user(INSTITUTIONS[institution][1])
    admin = _admin_of(enterprise) if enterprise else None
    if not (enterprise and lender and product.exists() and staff and admin):
        return None
    return enterprise, product.get(), staff, admin


def _submit(admin, product, amount, months, submitted, purpose):
    from dfsp.financing import services as financing

    with _at(submitted):
        preview = financing.preview_application(actor=admin, product_id=product.pk)
        return financing.submit_application(
            actor=admin,
            product_id=product.pk,
            amount=Decimal(amount) * 10000,
            term_months=months,
            purpose=purpose,
            number=preview["number"],
            shown_text_hash=preview["text_hash"],
            confirmed=True,
        )


def _accept(staff, application, when):
    from dfsp.financing import services as financing

    with _at(when):
        financing.accept_application(
            actor=staff, application_id=application.pk, comment="材料齐全，予以受理。"
        )


def _repay(staff, loan, *, skip_last: int) -> int:
    from dfsp.loans import selectors, services

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    due = [row for row in selectors.live_instalments(loan) if row.due_date <= yesterday]
    paid = 0
    for row in due[: len(due) - skip_last]:
        row.refresh_from_db()
        if row.outstanding <= 0:
            continue
        with _at(timezone.make_aware(dt.datetime.combine(row.due_date, dt.time(11)))):
            services.record_repayment(
                actor=staff, loan_id=loan.pk, amount=row.outstanding, paid_on=row.due_date,
                reference=f"DEMO-{loan.contract_number}-{row.number}",
            )  # fmt: skip
        paid += 1
    return paid


def _lend(number, plan, uscc_by_key) -> bool:
    from dfsp.financing import services as financing
    from dfsp.loans import services
    from dfsp.loans.models import Loan

    key, institution, product_name, amount, months, (ago, day), method, purpose, end = plan
    submitted = months_back(ago, day)
    contract = f"{INSTITUTIONS[institution][0]}-DQ-{submitted.year}-{1100 + number:04d}"
    parties = _parties(key, institution, product_name, uscc_by_key)
    if parties is None or Loan.objects.filter(contract_number=contract).exists():
        return False
    _enterprise, product, staff, admin = parties
    application = _submit(admin, product, amount, months, submitted, purpose)
    # Mostly accepted within hours; every seventh one only after three days (late).
    accepted = submitted + dt.timedelta(hours=3 + number % 5 * 4, days=3 * (number % 7 == 3))
    _accept(staff, application, accepted)
    approved = accepted + dt.timedelta(days=1 + number % 3, hours=2)
    with _at(approved):
        financing.approve_application(
            actor=staff, application_id=application.pk, amount=application.amount,
            rate=product.rate_min + Decimal("0.05") * (number % 4), term_months=months,
            conditions="按合同约定用途使用，按期还款。",
        )  # fmt: skip
    start = (approved + dt.timedelta(days=1 + number % 2)).date()
    with _at(approved + dt.timedelta(days=1 + number % 2)):
        loan = services.disburse_loan(
            actor=staff, application_id=application.pk, contract_number=contract,
            amount=application.amount, annual_rate=product.rate_min + Decimal("0.05") * (number % 4),
            term_months=months, start_date=start, repayment_day=min(start.day, 28), method=method,
        )  # fmt: skip
    _repay(staff, loan, skip_last=2 if end == "overdue" else 0)
    return True


def _other(number, plan, uscc_by_key) -> bool:
    from dfsp.financing import services as financing
    from dfsp.financing.models import Application

    key, institution, product_name, amount, months, (ago, day), purpose, end = plan
    parties = _parties(key, institution, product_name, uscc_by_key)
    if parties is None:
        return False
    enterprise, product, staff, admin = parties
    if Application.objects.filter(enterprise=enterprise, product=product).exists():
        return False
    submitted = months_back(ago, day)
    application = _submit(admin, product, amount, months, submitted, purpose)
    if end == "withdrawn":
        with _at(submitted + dt.timedelta(hours=2)):
            financing.withdraw_application(
                actor=admin, application_id=application.pk, reason="已获得其他机构授信"
            )
        return True
    _accept(staff, application, submitted + dt.timedelta(hours=4 + number % 3 * 6))
    reason, text = end
    with _at(submitted + dt.timedelta(days=2 + 5 * (number % 6 == 2), hours=3)):
        financing.reject_application(
            actor=staff, application_id=application.pk, reason_code=reason, text=text
        )
    return True


def seed(stdout) -> list:
    """Make what is missing of the history; returns the loans of the population (for ratings)."""
    if importlib.util.find_spec("time_machine") is None:
        stdout.write("  loans: time-machine missing; demo lending history skipped\n")
        return []
    from dfsp.loans import services
    from dfsp.loans.models import Loan

    uscc_by_key = by_key()
    lent = sum(_lend(number, plan, uscc_by_key) for number, plan in enumerate(LOANS, start=1))
    other = sum(_other(number, plan, uscc_by_key) for number, plan in enumerate(OTHER_APPLICATIONS))
    if lent:
        services.run_overdue_job(today=timezone.localdate())
    if lent or other:
        stdout.write(f"  loans: demo lending history: {lent} loans, {other} other applications\n")
    return list(Loan.objects.filter(uscc__in=uscc_by_key.values()).order_by("start_date", "pk"))
