"""Demo population: six more institutions of 大庆 (three banks, a micro-loan company, a leasing
company and an insurer) with their products, so the supermarket and the statistics by institution
type have believable figures. The operator onboards each institution about thirteen months ago
(clock set back with time-machine, a development dependency: without it the population is
skipped); its administrator (the only account the onboarding creates, with a one-time password
nobody is shown) lists the products, which the operator approves. Idempotent by USCC and name.
"""

import datetime as dt

from django.apps import apps
from django.utils import timezone

from dfsp.core.identifiers import make_uscc
from dfsp.institutions.demo import _p
from dfsp.institutions.models import Product

# short name, full name, subtype, GB/T 2260 district, USCC, admin username, profile
INSTITUTIONS = [
    ("建行大庆分行", "中国建设银行股份有限公司大庆分行", "bank", "230602", make_uscc("91", "230600", "12704583"), "ccb_admin",
     {"institution_type": "banking", "licence_number": "B0004S223060001", "is_branch": True,
      "parent_name": "中国建设银行股份有限公司", "service_regions": ["230600"], "contact_name": "于洪涛",
      "contact_phone": "0459-4662011", "address": "大庆市萨尔图区东风路 15 号"}),
    ("龙江银行大庆分行", "龙江银行股份有限公司大庆分行", "bank", "230602", make_uscc("91", "230600", "55201946"), "ljbank_admin",
     {"institution_type": "banking", "licence_number": "B0315B223060001", "is_branch": True,
      "parent_name": "龙江银行股份有限公司", "service_regions": ["230600"], "contact_name": "姚春雨",
      "contact_phone": "0459-6123500", "address": "大庆市萨尔图区经七街 6 号"}),
    ("邮储大庆分行", "中国邮政储蓄银行股份有限公司大庆市分行", "bank", "230602", make_uscc("91", "230600", "66426731"), "psbc_admin",
     {"institution_type": "banking", "licence_number": "B0018B223060001", "is_branch": True,
      "parent_name": "中国邮政储蓄银行股份有限公司", "service_regions": ["230600"], "contact_name": "霍思远",
      "contact_phone": "0459-6395588", "address": "大庆市萨尔图区纬二路 38 号"}),
    ("丰源小贷", "大庆市龙凤区丰源小额贷款有限公司", "micro_loan", "230603", make_uscc("91", "230603", "MA1BK7R3"), "fengyuan_admin",
     {"institution_type": "local_finance", "licence_number": "黑金小贷〔2018〕7号", "service_regions": ["230600"],
      "contact_name": "卢振国", "contact_phone": "0459-6701288", "address": "大庆市龙凤区卧里屯大街 66 号"}),
    ("龙庆租赁", "黑龙江龙庆融资租赁有限公司", "leasing", "230604", make_uscc("91", "230604", "MA1CT5N8"), "longqing_admin",
     {"institution_type": "local_finance", "licence_number": "黑商租赁〔2020〕3号", "service_regions": ["230600"],
      "contact_name": "齐卫东", "contact_phone": "0459-5891166", "address": "大庆市让胡路区中央大街 106 号"}),
    ("人保财险大庆分公司", "中国人民财产保险股份有限公司大庆市分公司", "insurer", "230602", make_uscc("91", "230600", "71674052"), "picc_admin",
     {"institution_type": "insurance", "licence_number": "000014230600", "is_branch": True,
      "parent_name": "中国人民财产保险股份有限公司", "service_regions": ["230600"], "contact_name": "江丽",
      "contact_phone": "0459-95518", "address": "大庆市萨尔图区东风路 27 号"}),
]  # fmt: skip

PRODUCTS = {
    "建行大庆分行": [
        _p("云税贷", "credit_loan", ("5", "300"), (3, 12), ("3.55", "4.50"), ["pure_credit", "online", "fast"], ["credit"],
           ["interest_first", "equal_instalment"], "依据企业纳税信用和纳税额核定额度，全流程线上办理，随借随还。",
           scopes=("registration", "tax"), days=1),
        _p("抵押快贷", "mortgage", ("30", "1000"), (12, 60), ("3.70", "4.90"), ["online", "renewal"], ["mortgage"],
           ["equal_instalment", "interest_first"], "以企业或企业主名下房产抵押，线上评估、线下签约，额度高、期限长。",
           scales=("medium", "small", "micro"), scopes=("registration", "real_estate"), days=5),
        _p("善新贷", "credit_loan", ("50", "1000"), (12, 36), ("3.65", "4.60"), ["tech", "pure_credit", "policy"], ["credit"],
           ["interest_first"], "面向科技型中小企业，按研发投入、知识产权和纳税情况综合授信。",
           industries=("C", "I", "M"), scales=("medium", "small", "micro"), scopes=("registration", "tax", "ip"), days=5),
    ],
    "龙江银行大庆分行": [
        _p("龙江惠农贷", "credit_loan", ("3", "100"), (6, 12), ("4.35", "5.80"), ["agriculture", "pure_credit", "first_loan"], ["credit"],
           ["bullet", "interest_first"], "服务种养殖户和农业企业，春耕秋收季节集中投放，纯信用、期限灵活。",
           regions=("230600", "230621", "230622", "230623", "230624", "230606"), industries=("A",), scopes=("registration", "utilities"), days=2),
        _p("油城经营贷", "credit_loan", ("10", "300"), (6, 24), ("4.20", "5.60"), ["pure_credit", "renewal"], ["credit"],
           ["equal_instalment", "interest_first"], "为油田服务、商贸流通等小微企业提供经营周转资金，到期可无还本续贷。",
           industries=("B", "C", "F", "G"), scopes=("registration", "tax", "social_insurance"), days=3),
    ],
    "邮储大庆分行": [
        _p("小微易贷", "credit_loan", ("5", "200"), (3, 12), ("3.80", "4.80"), ["pure_credit", "online", "first_loan"], ["credit"],
           ["equal_instalment", "interest_first"], "按企业纳税、发票和结算数据核定额度，线上申请、自动审批。",
           scopes=("registration", "tax"), days=2),
        _p("产业链e贷", "supply_chain", ("20", "500"), (3, 12), ("4.00", "5.00"), ["online"], ["credit"],
           ["bullet"], "面向油田和石化核心企业的上游供应商，凭确权应收账款在线融资。",
           industries=("B", "C"), scales=("medium", "small", "micro"), scopes=("registration", "tax"), days=3),
    ],
    "丰源小贷": [
        _p("经营周转贷", "credit_loan", ("5", "100"), (3, 12), ("9.00", "15.00"), ["fast", "pure_credit"], ["credit"],
           ["equal_instalment", "interest_first"], "小微企业和个体工商户的短期经营周转，当日审批、次日放款。",
           scopes=("registration", "tax"), days=1),
        _p("农机贷", "pledge", ("5", "80"), (6, 24), ("8.50", "12.00"), ["agriculture"], ["pledge"],
           ["equal_instalment"], "以新购农机具抵质押，首付三成即可，满足农业经营主体农机购置需求。",
           industries=("A",), scales=("small", "micro"), days=2),
    ],
    "龙庆租赁": [
        _p("设备直租", "leasing", ("50", "2000"), (12, 60), ("6.50", "9.50"), ["renewal"], ["mortgage"],
           ["equal_instalment"], "为油田服务和制造企业购置钻修井、检测及生产设备提供直租，租期届满设备归承租人。",
           industries=("B", "C", "E"), scales=("medium", "small"), years=2, days=5),
        _p("售后回租", "leasing", ("30", "1000"), (12, 36), ("6.80", "10.00"), [], ["mortgage"],
           ["equal_instalment", "equal_principal"], "企业将自有设备出售后租回使用，盘活存量资产，补充营运资金。",
           industries=("B", "C", "G"), scales=("medium", "small"), years=2, days=5),
    ],
    "人保财险大庆分公司": [
        _p("小微贷款保证保险", "insurance", ("10", "300"), (6, 12), ("1.50", "2.50"), ["policy", "first_loan"], ["guarantee"],
           ["bullet"], "为小微企业向合作银行借款提供保证保险增信，保费由财政部分补贴。",
           scopes=("registration", "tax", "judicial"), days=5),
    ],
}  # fmt: skip


def _at(days_ago: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def seed(stdout, operator) -> None:
    try:
        import time_machine
    except ImportError:
        stdout.write("  institutions: time-machine missing; demo population skipped\n")
        return
    from dfsp.accounts.roles import INSTITUTION_ROLES
    from dfsp.accounts.selectors import active_members
    from dfsp.institutions import services

    organisations = apps.get_model("accounts", "Organisation").objects
    made = 0
    for number, (short, name, subtype, district, uscc, admin_username, profile) in enumerate(INSTITUTIONS):
        organisation = organisations.filter(uscc=uscc).first()
        if organisation is None:
            with time_machine.travel(_at(400 - number * 3), tick=False):
                _profile, admin, _password = services.onboard_institution(
                    actor=operator, name=name, short_name=short, institution_subtype=subtype,
                    region_code=district, uscc=uscc, admin_username=admin_username,
                    admin_full_name=profile["contact_name"], **profile,
                )  # fmt: skip
            organisation = _profile.organisation
        else:
            admin = next(iter(active_members(INSTITUTION_ROLES, organisation)), None)
        for index, spec in enumerate(PRODUCTS.get(short, [])):
            content = dict(
                spec["content"], contact_name=profile["contact_name"], contact_phone=profile["contact_phone"]
            )
            if (
                admin is None
                or Product.objects.filter(organisation=organisation, name=content["name"]).exists()
            ):
                continue
            with time_machine.travel(_at(395 - number * 3 - index * 20), tick=False):
                product = services.create_product(actor=admin, content=content)
                services.submit_product(actor=admin, product_id=product.pk)
            with time_machine.travel(_at(393 - number * 3 - index * 20), tick=False):
                services.approve_product(actor=operator, product_id=product.pk)
            made += 1
    if made:
        stdout.write(f"  institutions: {made} products of the demo population listed\n")
