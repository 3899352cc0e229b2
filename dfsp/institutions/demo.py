"""Demo institution profiles, branches, live products, a review queue and the ranking setup."""

from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from dfsp.institutions import services
from dfsp.institutions.content import clean_content
from dfsp.institutions.models import (
    Branch,
    InstitutionProfile,
    OfficerBranch,
    Product,
    ProductEvent,
    ProductRevision,
)
from dfsp.institutions.states import ProductStatus, RevisionStatus

PROFILES = {
    "工行大庆分行": {"institution_type": "banking", "licence_number": "B0001S223060001", "is_branch": True,
                    "parent_name": "中国工商银行股份有限公司", "service_regions": ["230600"],
                    "contact_name": "陈晓东", "contact_phone": "0459-6382100", "address": "大庆市萨尔图区纬二路31号"},
    "大庆农商行": {"institution_type": "banking", "licence_number": "B1085H223060001", "service_regions": ["230600"],
                  "contact_name": "马丽娟", "contact_phone": "0459-4667788", "address": "大庆市让胡路区西宾路8号"},
    "市融资担保公司": {"institution_type": "local_finance", "licence_number": "黑230600018", "service_regions": ["230600"],
                     "contact_name": "高志远", "contact_phone": "0459-6155000", "address": "大庆市萨尔图区东风路2号"},
    "鑫源小贷": {"institution_type": "local_finance", "licence_number": "黑金小贷〔2019〕12号", "service_regions": ["230606", "230600"],
                 "contact_name": "吴静", "contact_phone": "0459-6829001", "address": "大庆高新区新风路6号"},
}  # fmt: skip
BRANCHES = {
    "工行大庆分行": [("萨尔图支行", "230602", "大庆市萨尔图区中央大街45号"), ("让胡路支行", "230604", "大庆市让胡路区中央大街218号")],
}  # fmt: skip

_MATERIALS = ["营业执照", "法定代表人身份证", "近一年财务报表"]


def _p(name, ptype, amount, term, rate, tags, guarantee, repay, desc, *, regions=("230600",), industries=(),
       scales=("small", "micro"), years=1, grade="", scopes=("registration", "tax"), days=3, applications=0,
       rating="0", age_days=30):  # fmt: skip
    return {
        "content": {
            "name": name, "product_type": ptype, "amount_min": amount[0], "amount_max": amount[1],
            "term_min": term[0], "term_max": term[1], "rate_min": rate[0], "rate_max": rate[1],
            "tags": list(tags), "guarantee_methods": list(guarantee), "repayment_methods": list(repay),
            "target_regions": list(regions), "industries": list(industries), "scales": list(scales),
            "min_years": years, "min_credit_grade": grade, "data_scopes": list(scopes),
            "materials": _MATERIALS, "response_days": days, "description": desc,
        },
        "applications": applications, "rating": rating, "age_days": age_days,
    }  # fmt: skip


PRODUCTS = {
    "工行大庆分行": [
        _p("经营快贷", "credit_loan", ("10", "300"), (1, 12), ("3.45", "4.35"), ["pure_credit", "online", "fast"], ["credit"],
           ["interest_first", "equal_instalment"], "依托企业纳税、结算等数据，线上申请、自动审批、随借随还，最快当天放款，适用于经营稳定的小微企业。",
           years=2, grade="A", scopes=("registration", "tax", "social_insurance"), days=1, applications=58, rating="4.6", age_days=120),
        _p("e抵快贷", "mortgage", ("50", "1000"), (12, 120), ("3.60", "4.80"), ["online", "renewal"], ["mortgage"],
           ["equal_instalment", "interest_first"], "以企业或企业主名下住宅、商铺等房产抵押，线上评估，额度高、期限长，支持循环使用。",
           years=1, scales=("medium", "small", "micro"), scopes=("registration", "real_estate"), days=5, applications=21, rating="4.4", age_days=200),
        _p("科创贷", "ip_pledge", ("100", "2000"), (12, 36), ("3.80", "5.20"), ["tech", "policy"], ["pledge", "credit"],
           ["interest_first"], "面向国家高新技术企业和专精特新企业，可用专利权、商标权质押，享受贴息政策。",
           industries=("C", "I", "M"), scales=("medium", "small", "micro"), scopes=("registration", "tax", "ip"), days=7, applications=9, rating="4.2", age_days=60),
        _p("供应链e信", "supply_chain", ("20", "500"), (3, 12), ("3.90", "4.90"), ["online"], ["credit"],
           ["bullet"], "基于核心企业应付账款确权，为上游供应商提供在线保理融资，无需额外担保。",
           industries=("C", "F"), scales=("medium", "small", "micro"), scopes=("registration", "tax", "import_export"), days=3, applications=14, rating="4.0", age_days=90),
    ],
    "大庆农商行": [
        _p("惠农e贷", "credit_loan", ("5", "50"), (6, 36), ("4.35", "6.50"), ["pure_credit", "agriculture", "first_loan", "online"],
           ["credit"], ["equal_instalment", "interest_first"], "服务新型农业经营主体和种养殖户，纯信用、线上申请、随借随还，支持春耕备耕资金需求。",
           regions=("230600", "230621", "230622", "230623", "230624"), industries=("A",), scales=("micro",),
           scopes=("registration", "social_insurance", "utilities"), days=2, applications=76, rating="4.7", age_days=150),
        _p("兴商贷", "guarantee_loan", ("10", "200"), (12, 36), ("4.80", "7.20"), ["renewal"], ["guarantee"],
           ["equal_principal", "equal_instalment"], "面向个体工商户和小微商户的保证贷款，可由担保公司或自然人提供保证，支持无还本续贷。",
           industries=("F", "H", "O"), scopes=("registration", "tax"), days=3, applications=33, rating="4.3", age_days=100),
        _p("粮食收购贷", "pledge", ("50", "800"), (3, 12), ("4.50", "6.00"), ["agriculture", "policy"], ["pledge"],
           ["bullet"], "以粮食仓单或存货质押，满足粮食收储加工企业收购季节的集中资金需求。",
           industries=("A", "C"), scales=("medium", "small"), years=2, days=5, applications=12, rating="4.1", age_days=40),
        _p("首贷通", "credit_loan", ("3", "30"), (3, 12), ("4.90", "7.80"), ["first_loan", "pure_credit", "online"], ["credit"],
           ["interest_first"], "专为从未获得银行贷款的小微企业设计，凭纳税和社保记录即可申请，最快三个工作日放款。",
           scales=("micro",), scopes=("registration", "tax", "social_insurance", "housing_fund"), days=3, applications=40, age_days=10),
    ],
    "市融资担保公司": [
        _p("科技担保贷", "guarantee_service", ("50", "1000"), (12, 36), ("5.50", "7.50"), ["tech", "policy"], ["guarantee"],
           ["equal_principal", "interest_first"], "为科技型中小企业向合作银行贷款提供担保，担保费率不超过1%，可叠加市级贴息。",
           industries=("C", "I", "M"), years=1, grade="BBB", scopes=("registration", "tax", "ip", "judicial"), days=7,
           applications=18, rating="4.5", age_days=80),
        _p("政采贷担保", "guarantee_service", ("20", "500"), (6, 24), ("5.00", "6.80"), ["policy"], ["guarantee"],
           ["bullet", "interest_first"], "以政府采购合同为依据提供融资担保，中标即可申请，无需抵押。",
           scopes=("registration", "tax", "licences_penalties"), days=5, applications=7, rating="4.0", age_days=20),
        _p("创业担保贷款", "guarantee_loan", ("10", "300"), (12, 36), ("3.85", "4.35"), ["first_loan", "policy"], ["guarantee"],
           ["equal_instalment"], "符合条件的创业人员和小微企业可申请，财政贴息，个人最高30万元、企业最高300万元。",
           scales=("micro", "small"), scopes=("registration", "social_insurance"), days=10, applications=25, rating="4.8", age_days=250),
    ],
    "鑫源小贷": [
        _p("税易贷", "credit_loan", ("5", "100"), (3, 24), ("8.00", "15.40"), ["pure_credit", "online", "fast"], ["credit"],
           ["equal_instalment", "interest_first"], "依据企业纳税信用等级和纳税额核定额度，纯信用、线上办理，最快2小时审批。",
           regions=("230606", "230600"), scopes=("registration", "tax"), days=1, applications=44, rating="4.1", age_days=70),
        _p("设备融资租赁", "leasing", ("30", "500"), (12, 60), ("9.50", "14.00"), ["renewal"], ["mortgage"],
           ["equal_instalment"], "以设备为租赁物开展直租或售后回租，盘活存量设备，缓解企业技改资金压力。",
           regions=("230606", "230600"), industries=("B", "C", "E"), scales=("medium", "small"), years=2, days=5,
           applications=6, rating="3.9", age_days=160),
        _p("应急周转贷", "credit_loan", ("10", "200"), (1, 6), ("12.00", "18.00"), ["fast", "renewal"], ["credit", "guarantee"],
           ["bullet"], "为企业银行贷款到期续贷提供短期过桥资金，当日申请当日放款。",
           regions=("230606", "230600"), scopes=("registration", "tax", "judicial"), days=1, applications=29, rating="3.8", age_days=5),
    ],
}  # fmt: skip


def _organisation(short_name):
    return apps.get_model("accounts", "Organisation").objects.filter(short_name=short_name).first()


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _seed_live_product(organisation, spec, operator) -> Product:
    content = clean_content({**spec["content"], "contact_name": "客户经理", "contact_phone": "0459-96588"})
    now = timezone.now()
    product = Product(
        organisation=organisation,
        institution_name=organisation.short_name or organisation.name,
        institution_subtype=organisation.institution_subtype,
        status=ProductStatus.LIVE,
        listed_at=now - timedelta(days=spec["age_days"]),
        applications_count=spec["applications"],
        rating=spec["rating"],
        rating_count=spec["applications"] // 3,
    )
    services._apply_content(product, content)
    product.save()
    revision = ProductRevision.objects.create(
        product=product, number=1, content=content, status=RevisionStatus.APPROVED,
        submitted_at=product.listed_at, reviewed_at=product.listed_at, reviewed_by=operator,
    )  # fmt: skip
    ProductEvent.objects.create(
        product=product, revision=revision, action="approved", from_status=ProductStatus.PENDING_REVIEW,
        to_status=ProductStatus.LIVE, actor=operator,
    )  # fmt: skip
    services._rebuild_facets(product)
    return product


def seed(stdout) -> None:
    operator = _user("operator")
    for short_name, profile in PROFILES.items():
        organisation = _organisation(short_name)
        if organisation is None:
            continue
        InstitutionProfile.objects.get_or_create(organisation=organisation, defaults=profile)
        for name, region, address in BRANCHES.get(short_name, []):
            Branch.objects.get_or_create(
                organisation=organisation, name=name, defaults={"region_code": region, "address": address}
            )
        for spec in PRODUCTS.get(short_name, []):
            if not Product.objects.filter(organisation=organisation, name=spec["content"]["name"]).exists():
                _seed_live_product(organisation, spec, operator)
    if operator is not None:
        from dfsp.institutions import demo_population

        demo_population.seed(stdout, operator)
    officer, bank_admin = _user("bank_officer"), _user("bank_admin")
    icbc = _organisation("工行大庆分行")
    if officer and icbc and not OfficerBranch.objects.filter(user=officer).exists():
        branch = Branch.objects.filter(organisation=icbc).first()
        if branch:
            OfficerBranch.objects.create(user=officer, branch=branch)
    if officer and icbc and not Product.objects.filter(organisation=icbc, name="小微易贷").exists():
        # One new product waiting for its first review.
        content = dict(PRODUCTS["工行大庆分行"][0]["content"], name="小微易贷", rate_min="3.95", rate_max="4.65",
                       contact_name="刘海峰", contact_phone="0459-6382166",
                       description="面向开立工行结算账户满一年的小微企业，按结算流水核定额度，线上申请、线下签约。")  # fmt: skip
        product = services.create_product(actor=officer, content=content)
        services.submit_product(actor=officer, product_id=product.pk)
    if bank_admin and icbc:
        live = Product.objects.filter(organisation=icbc, name="e抵快贷").first()
        if (
            live
            and not live.revisions.filter(status=RevisionStatus.SUBMITTED).exists()
            and live.revisions.count() == 1
        ):
            # A live product with a revision under review: the approved version stays listed.
            content = dict(live.revisions.get(number=1).content, rate_min="3.50", amount_max="1500",
                           description=live.description + "新增：支持厂房、土地使用权抵押。")  # fmt: skip
            services.update_product(actor=bank_admin, product_id=live.pk, content=content)
            services.submit_product(actor=bank_admin, product_id=live.pk)
    config = services.ranking_config()
    if config.updated_by is None and operator is not None:
        config.updated_by = operator
        config.save(update_fields=["updated_by"])
    Product.objects.filter(name="惠农e贷", status=ProductStatus.LIVE).update(pinned=True)
    count = services.recompute_scores()
    _seed_pre_assessments()
    stdout.write(f"institutions: {Product.objects.count()} products, {count} scored")


def _seed_pre_assessments() -> None:
    """Consent for product pre-assessment: one grant the enterprise later withdrew, one open request."""
    from dfsp.accounts.selectors import organisation_of
    from dfsp.consent import services as consent_services
    from dfsp.consent.demo import request_demo_grant, sign_demo_grant
    from dfsp.consent.states import GrantStatus, PurposeType

    ent_admin, agri_admin = _user("ent_admin"), _user("agri_admin")
    rcb_product = Product.objects.filter(name="惠农e贷", status=ProductStatus.LIVE).first()
    icbc_product = Product.objects.filter(name="经营快贷", status=ProductStatus.LIVE).first()
    officer = _user("bank_officer")
    if ent_admin and rcb_product:
        grant = sign_demo_grant(
            signer=ent_admin, institution=rcb_product.organisation, scopes=["registration"],
            purpose_type=PurposeType.PRE_ASSESSMENT, purpose_id=rcb_product.pk, limit=5, product=rcb_product,
        )  # fmt: skip
        if grant.status == GrantStatus.ACTIVE:
            consent_services.withdraw_grant(actor=ent_admin, grant_id=grant.pk)
    if officer and agri_admin and icbc_product:
        request_demo_grant(
            requester=officer, uscc=organisation_of(agri_admin).uscc,
            scopes=["registration", "tax", "social_insurance"], purpose_type=PurposeType.PRE_ASSESSMENT,
            purpose_id=icbc_product.pk, reason="“经营快贷”产品预审需要核实经营与纳税情况", limit=10,
            product=icbc_product,
        )  # fmt: skip
