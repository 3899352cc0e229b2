"""The national sharing-list categories and the standard data elements (seed of the dictionary).

Facts are stored generically (one CreditRecord per uscc × category × record key); this module
says, per category, which elements form the record key and which feed the typed columns.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    TAX = "tax", _("Tax")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    HOUSING_FUND = "housing_fund", _("Housing fund")
    UTILITIES = "utilities", _("Water, electricity and gas")
    REAL_ESTATE = "real_estate", _("Real estate")
    IP = "ip", _("Intellectual property")
    TRADE = "trade", _("Import and export")
    JUDICIAL = "judicial", _("Judicial records")
    LICENCE = "licence", _("Administrative licences")
    PENALTY = "penalty", _("Administrative penalties")
    HONOUR = "honour", _("Honours")
    WATCHLIST = "watchlist", _("Abnormal-operation and serious-dishonesty lists")


@dataclass(frozen=True)
class CategorySpec:
    key: tuple[str, ...] = ()  # elements forming the record key besides the uscc
    period: str = ""  # element holding the YYYY-MM period (periodic categories)
    code: str = ""  # element copied to CreditRecord.code (status, grade …)
    amount: str = ""  # element copied to CreditRecord.amount
    event_date: str = ""  # element copied to CreditRecord.event_date
    elements: tuple[str, ...] = field(default_factory=tuple)


CATEGORIES: dict[str, CategorySpec] = {
    "registration": CategorySpec(
        code="reg_status",
        amount="reg_capital",
        event_date="established_on",
        elements=(
            "ent_name",
            "reg_status",
            "reg_capital",
            "established_on",
            "legal_rep_name",
            "legal_rep_id",
            "legal_rep_mobile",
            "division",
            "industry",
            "industry_division",
            "ent_type",
            "scale",
            "address",
            "shareholders",
        ),
    ),
    "tax": CategorySpec(
        key=("period",),
        period="period",
        code="tax_grade",
        amount="tax_paid",
        elements=("period", "tax_grade", "tax_paid", "tax_arrears"),
    ),
    "social_insurance": CategorySpec(
        key=("period",),
        period="period",
        amount="si_arrears",
        elements=("period", "insured_count", "si_arrears"),
    ),
    "housing_fund": CategorySpec(
        key=("period",),
        period="period",
        amount="hf_arrears",
        elements=("period", "hf_count", "hf_arrears"),
    ),
    "utilities": CategorySpec(
        key=("utility_type", "period"),
        period="period",
        code="payment_status",
        amount="consumption",
        elements=("period", "utility_type", "consumption", "payment_status"),
    ),
    "real_estate": CategorySpec(
        key=("property_cert_no",),
        code="mortgaged",
        amount="property_area",
        elements=("property_cert_no", "property_usage", "property_area", "mortgaged"),
    ),
    "ip": CategorySpec(
        key=("ip_no",),
        code="ip_type",
        event_date="granted_on",
        elements=("ip_type", "ip_no", "ip_title", "granted_on"),
    ),
    "trade": CategorySpec(
        key=("period",),
        period="period",
        amount="export_amount",
        elements=("period", "import_amount", "export_amount"),
    ),
    "judicial": CategorySpec(
        key=("case_no",),
        code="judicial_kind",
        amount="case_amount",
        event_date="filed_on",
        elements=(
            "case_no",
            "judicial_kind",
            "case_role",
            "case_cause",
            "case_amount",
            "filed_on",
            "closed_on",
        ),
    ),
    "licence": CategorySpec(
        key=("licence_no",),
        event_date="valid_until",
        elements=("licence_no", "licence_name", "issuer", "valid_until"),
    ),
    "penalty": CategorySpec(
        key=("decision_no",),
        amount="penalty_amount",
        event_date="decided_on",
        elements=("decision_no", "penalty_reason", "penalty_amount", "issuer", "decided_on"),
    ),
    "honour": CategorySpec(
        key=("honour_name",),
        event_date="awarded_on",
        elements=("honour_name", "issuer", "awarded_on"),
    ),
    "watchlist": CategorySpec(
        key=("list_kind", "listed_on"),
        code="list_kind",
        event_date="listed_on",
        elements=("list_kind", "listed_on", "list_reason", "removed_on", "issuer"),
    ),
}


@dataclass(frozen=True)
class ElementDef:
    code: str
    name_zh: str
    name_en: str
    data_type: str  # string | integer | decimal | date | period | code
    length: int = 0
    fmt: str = ""  # regular expression the standardised value must match
    code_set: str = ""
    sensitivity: int = 1  # JR/T 0197 level 1–5
    data_class: str = "C1"  # JR/T 0171 C1/C2/C3 (personal financial information)
    mask: str = ""  # display masking kind of dfsp.core.masking


ELEMENTS: tuple[ElementDef, ...] = (
    ElementDef(
        "uscc", "统一社会信用代码", "Unified social credit code", "string", 18, r"^[0-9A-HJ-NP-RTUWXY]{18}$"
    ),
    ElementDef("ent_name", "企业名称", "Enterprise name", "string", 100),
    ElementDef("reg_status", "登记状态", "Registration status", "code", 16, code_set="REG_STATUS"),
    ElementDef("reg_capital", "注册资本（万元）", "Registered capital (10k CNY)", "decimal", 18),
    ElementDef("established_on", "成立日期", "Date of establishment", "date", 10),
    ElementDef(
        "legal_rep_name",
        "法定代表人",
        "Legal representative",
        "string",
        30,
        sensitivity=3,
        data_class="C2",
        mask="name",
    ),
    ElementDef(
        "legal_rep_id",
        "法定代表人证件号码",
        "Legal representative ID number",
        "string",
        18,
        r"^\d{17}[\dX]$",
        sensitivity=4,
        data_class="C3",
        mask="id_number",
    ),
    ElementDef(
        "legal_rep_mobile",
        "法定代表人手机号",
        "Legal representative mobile",
        "string",
        11,
        r"^1\d{10}$",
        sensitivity=3,
        data_class="C2",
        mask="mobile",
    ),
    ElementDef("division", "行政区划", "Administrative division", "code", 6, code_set="GBT2260"),
    ElementDef("industry", "行业门类", "Industry section", "code", 1, code_set="GBT4754_SECTION"),
    ElementDef("industry_division", "行业大类", "Industry division", "code", 2, code_set="GBT4754_DIVISION"),
    ElementDef("ent_type", "企业类型", "Enterprise type", "code", 16, code_set="ENT_TYPE"),
    ElementDef("scale", "企业规模", "Enterprise scale", "code", 8, code_set="ENT_SCALE"),
    ElementDef("address", "住所", "Registered address", "string", 200, sensitivity=2, mask="address"),
    ElementDef(
        "shareholders",
        "股东及出资比例",
        "Shareholders and shares",
        "string",
        500,
        sensitivity=2,
        data_class="C2",
    ),
    ElementDef("period", "所属期", "Period", "period", 7, r"^\d{4}-(0[1-9]|1[0-2])$"),
    ElementDef(
        "tax_grade", "纳税信用等级", "Tax credit grade", "code", 1, code_set="TAX_GRADE", sensitivity=2
    ),
    ElementDef(
        "tax_paid", "实缴税额（元）", "Taxes paid (CNY)", "decimal", 18, sensitivity=3, data_class="C2"
    ),
    ElementDef(
        "tax_arrears", "欠税金额（元）", "Tax arrears (CNY)", "decimal", 18, sensitivity=3, data_class="C2"
    ),
    ElementDef("insured_count", "参保人数", "Insured headcount", "integer", 8, sensitivity=2),
    ElementDef(
        "si_arrears",
        "社保欠费（元）",
        "Social insurance arrears (CNY)",
        "decimal",
        18,
        sensitivity=3,
        data_class="C2",
    ),
    ElementDef("hf_count", "公积金缴存人数", "Housing fund contributors", "integer", 8, sensitivity=2),
    ElementDef(
        "hf_arrears",
        "公积金欠缴（元）",
        "Housing fund arrears (CNY)",
        "decimal",
        18,
        sensitivity=3,
        data_class="C2",
    ),
    ElementDef("utility_type", "能源类型", "Utility", "code", 12, code_set="UTILITY_TYPE"),
    ElementDef("consumption", "用量", "Consumption", "decimal", 18, sensitivity=2),
    ElementDef(
        "payment_status", "缴费状态", "Payment status", "code", 12, code_set="PAYMENT_STATUS", sensitivity=2
    ),
    ElementDef(
        "property_cert_no",
        "不动产权证号",
        "Property certificate number",
        "string",
        60,
        sensitivity=3,
        data_class="C2",
    ),
    ElementDef("property_usage", "用途", "Property usage", "string", 30),
    ElementDef("property_area", "面积（平方米）", "Area (m²)", "decimal", 18, sensitivity=2),
    ElementDef("mortgaged", "是否抵押", "Mortgaged", "code", 1, code_set="YES_NO", sensitivity=2),
    ElementDef("ip_type", "知识产权类型", "IP type", "code", 20, code_set="IP_TYPE"),
    ElementDef("ip_no", "专利号/注册号", "Patent or registration number", "string", 40),
    ElementDef("ip_title", "名称", "Title", "string", 200),
    ElementDef("granted_on", "授权日期", "Date granted", "date", 10),
    ElementDef("import_amount", "进口额（万美元）", "Imports (10k USD)", "decimal", 18, sensitivity=2),
    ElementDef("export_amount", "出口额（万美元）", "Exports (10k USD)", "decimal", 18, sensitivity=2),
    ElementDef("case_no", "案号", "Case number", "string", 60),
    ElementDef("judicial_kind", "司法信息类型", "Judicial record kind", "code", 20, code_set="JUDICIAL_KIND"),
    ElementDef("case_role", "诉讼地位", "Role in the case", "string", 20),
    ElementDef("case_cause", "案由", "Cause of action", "string", 100),
    ElementDef("case_amount", "标的金额（元）", "Amount at stake (CNY)", "decimal", 18, sensitivity=2),
    ElementDef("filed_on", "立案日期", "Date filed", "date", 10),
    ElementDef("closed_on", "结案日期", "Date closed", "date", 10),
    ElementDef("licence_no", "许可文书号", "Licence number", "string", 60),
    ElementDef("licence_name", "许可事项", "Licence", "string", 100),
    ElementDef("issuer", "决定机关", "Issuing authority", "string", 100),
    ElementDef("valid_until", "有效期至", "Valid until", "date", 10),
    ElementDef("decision_no", "处罚决定书文号", "Penalty decision number", "string", 60),
    ElementDef("penalty_reason", "违法事实", "Offence", "string", 300),
    ElementDef("penalty_amount", "罚款金额（元）", "Fine (CNY)", "decimal", 18),
    ElementDef("decided_on", "处罚日期", "Date decided", "date", 10),
    ElementDef("honour_name", "荣誉名称", "Honour", "string", 100),
    ElementDef("awarded_on", "授予日期", "Date awarded", "date", 10),
    ElementDef("list_kind", "名单类型", "List", "code", 24, code_set="LIST_KIND"),
    ElementDef("listed_on", "列入日期", "Date listed", "date", 10),
    ElementDef("list_reason", "列入原因", "Reason listed", "string", 200),
    ElementDef("removed_on", "移出日期", "Date removed", "date", 10),
)

ELEMENTS_BY_CODE = {e.code: e for e in ELEMENTS}

# Enumerated code sets owned by the platform (GB/T 2260 and GB/T 4754 come from dfsp.core).
SMALL_CODE_SETS: dict[str, tuple[str, dict[str, str]]] = {
    "REG_STATUS": ("登记状态", {"active": "存续", "revoked": "吊销", "cancelled": "注销", "moved": "迁出"}),
    "ENT_TYPE": (
        "企业类型",
        {
            "llc": "有限责任公司",
            "jsc": "股份有限公司",
            "sole": "个人独资企业",
            "partnership": "合伙企业",
            "coop": "农民专业合作社",
            "collective": "集体经济组织",
            "individual": "个体工商户",
        },
    ),
    "ENT_SCALE": (
        "企业规模（工信部划型）",
        {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"},
    ),
    "TAX_GRADE": ("纳税信用等级", {"A": "A级", "B": "B级", "M": "M级", "C": "C级", "D": "D级"}),
    "UTILITY_TYPE": ("能源类型", {"water": "水", "electricity": "电", "gas": "燃气"}),
    "PAYMENT_STATUS": ("缴费状态", {"paid": "正常缴费", "overdue": "欠费"}),
    "YES_NO": ("是否", {"Y": "是", "N": "否"}),
    "IP_TYPE": (
        "知识产权类型",
        {"invention": "发明专利", "utility_model": "实用新型", "design": "外观设计", "trademark": "注册商标"},
    ),
    "JUDICIAL_KIND": (
        "司法信息类型",
        {"case": "涉诉案件", "enforced": "被执行人", "dishonest": "失信被执行人"},
    ),
    "LIST_KIND": ("名单类型", {"abnormal": "经营异常名录", "serious_dishonesty": "严重失信主体名单"}),
}

# GB/T 4754-2017 divisions (大类) the platform's sources use, with their sections.
GBT4754_DIVISIONS: dict[str, tuple[str, str]] = {
    "01": ("A", "农业"),
    "02": ("A", "林业"),
    "03": ("A", "畜牧业"),
    "05": ("A", "农、林、牧、渔专业及辅助性活动"),
    "07": ("B", "石油和天然气开采业"),
    "11": ("B", "开采专业及辅助性活动"),
    "13": ("C", "农副食品加工业"),
    "14": ("C", "食品制造业"),
    "25": ("C", "石油、煤炭及其他燃料加工业"),
    "26": ("C", "化学原料和化学制品制造业"),
    "29": ("C", "橡胶和塑料制品业"),
    "34": ("C", "通用设备制造业"),
    "35": ("C", "专用设备制造业"),
    "44": ("D", "电力、热力生产和供应业"),
    "45": ("D", "燃气生产和供应业"),
    "47": ("E", "房屋建筑业"),
    "48": ("E", "土木工程建筑业"),
    "51": ("F", "批发业"),
    "52": ("F", "零售业"),
    "54": ("G", "道路运输业"),
    "59": ("G", "装卸搬运和仓储业"),
    "61": ("H", "住宿业"),
    "62": ("H", "餐饮业"),
    "64": ("I", "互联网和相关服务"),
    "65": ("I", "软件和信息技术服务业"),
    "66": ("J", "货币金融服务"),
    "70": ("K", "房地产业"),
    "72": ("L", "商务服务业"),
    "73": ("M", "研究和试验发展"),
    "75": ("M", "科技推广和应用服务业"),
    "77": ("N", "生态保护和环境治理业"),
    "80": ("O", "机动车、电子产品和日用产品修理业"),
    "83": ("P", "教育"),
    "84": ("Q", "卫生"),
    "87": ("R", "文化艺术业"),
}
