"""Demo population: forty more 大庆 enterprises, so the public data overview and the regulators'
statistics have believable figures instead of cells of fewer than five.

Each one signs up (accounts' registration service) on its own day over the past year, with the
clock set back (time-machine, a development dependency: without it the population is skipped);
most then submit their certification and the operator approves it a few days later. Idempotent:
an enterprise whose code is already registered is left alone. No README role-table accounts: each
enterprise has only the administrator the sign-up creates.
"""

import datetime as dt
import hashlib

from django.apps import apps
from django.utils import timezone

from dfsp.core.identifiers import make_uscc

# key (short name), full name, district, GB/T 4754 section, scale, legal representative,
# registered (months ago, day of month), certification: "approved" | "submitted" | "draft"
POPULATION = [
    ("庆新油服", "大庆庆新石油技术服务有限公司", "230604", "B", "medium", "孙宝林", (12, 6), "approved"),
    ("博润化工", "大庆博润化工有限公司", "230603", "C", "medium", "李志刚", (12, 8), "approved"),
    ("萨区鑫达商贸", "大庆市萨尔图区鑫达商贸有限公司", "230602", "F", "small", "张红梅", (12, 9), "approved"),
    ("黎明软件", "大庆黎明软件科技有限公司", "230602", "I", "small", "陈晨", (12, 12), "approved"),
    ("让区安顺物流", "大庆市让胡路区安顺物流有限公司", "230604", "G", "small", "刘长海", (12, 13), "approved"),
    ("大同粮贸", "大庆市大同区丰收粮食贸易有限公司", "230606", "F", "small", "王玉珍", (12, 14), "approved"),
    ("油田钻具", "大庆油田精工钻具制造有限公司", "230604", "C", "small", "赵立新", (12, 15), "approved"),
    ("肇州牧业", "肇州县兴旺牧业有限公司", "230621", "A", "small", "郭振山", (12, 16), "approved"),
    ("红岗建安", "大庆市红岗区宏远建筑安装工程有限公司", "230605", "E", "small", "马德福", (12, 19), "approved"),
    ("龙凤塑编", "大庆市龙凤区恒信塑料编织有限公司", "230603", "C", "micro", "韩秀芝", (12, 20), "approved"),
    ("萨区味道餐饮", "大庆市萨尔图区老街坊餐饮管理有限公司", "230602", "H", "micro", "杨丽", (12, 21), "approved"),
    ("井下作业", "大庆市让胡路区鸿达井下作业服务有限公司", "230604", "B", "small", "吕国庆", (12, 22), "approved"),
    ("林甸乳业", "林甸县北纬乳业有限公司", "230623", "C", "small", "丁海涛", (12, 23), "approved"),
    ("肇源米业", "肇源县稻香米业有限公司", "230622", "A", "small", "周福贵", (12, 26), "approved"),
    ("萨区鼎盛建材", "大庆市萨尔图区鼎盛建材销售有限公司", "230602", "F", "micro", "高文斌", (11, 5), "approved"),
    ("大同油品", "大庆市大同区宏大油品储运有限公司", "230606", "G", "small", "邢立军", (11, 9), "approved"),
    ("高新数智", "大庆高新区数智云科技有限公司", "230602", "I", "micro", "邵宇航", (11, 12), "approved"),
    ("龙凤机修", "大庆市龙凤区石化设备维修有限公司", "230603", "C", "micro", "曹建华", (11, 16), "approved"),
    ("杜蒙牧业", "杜尔伯特蒙古族自治县草原红牧业有限公司", "230624", "A", "small", "白音", (11, 20), "approved"),
    ("红岗抽油机", "大庆市红岗区创新抽油机配件厂", "230605", "C", "micro", "金永福", (11, 23), "approved"),
    ("萨区百佳超市", "大庆市萨尔图区百佳连锁超市有限公司", "230602", "F", "small", "冯丽娟", (10, 7), "approved"),
    ("让区测井", "大庆市让胡路区精测石油测井技术服务有限公司", "230604", "B", "small", "魏长江", (10, 11), "approved"),
    ("大同玉米", "大庆市大同区金穗玉米种植专业合作社", "230606", "A", "micro", "李春林", (10, 14), "approved"),
    ("龙凤新材", "大庆市龙凤区聚源新材料科技有限公司", "230603", "C", "small", "蒋志远", (10, 17), "approved"),
    ("肇州建工", "肇州县永安建筑工程有限公司", "230621", "E", "small", "姜海波", (10, 22), "approved"),
    ("萨区速达快运", "大庆市萨尔图区速达城市快运有限公司", "230602", "G", "micro", "庞伟", (9, 8), "approved"),
    ("让区油管", "大庆市让胡路区通力油管修复有限公司", "230604", "B", "micro", "廖永刚", (9, 15), "approved"),
    ("红岗酒店", "大庆市红岗区宾悦酒店有限公司", "230605", "H", "small", "柳红", (9, 21), "approved"),
    ("林甸杂粮", "林甸县禾丰杂粮加工有限公司", "230623", "A", "micro", "田宝军", (8, 10), "approved"),
    ("龙凤电商", "大庆市龙凤区绿源农产品电子商务有限公司", "230603", "F", "micro", "何佳", (8, 18), "approved"),
    ("让区环保", "大庆市让胡路区清源环保科技有限公司", "230604", "M", "small", "于海洋", (8, 24), "approved"),
    ("大同农机", "大庆市大同区农丰农机服务有限公司", "230606", "A", "micro", "孟庆华", (7, 9), "approved"),
    ("萨区检测", "大庆市萨尔图区华测检测技术有限公司", "230602", "M", "micro", "宋佳音", (7, 20), "approved"),
    ("肇源渔业", "肇源县江湾渔业养殖有限公司", "230622", "A", "micro", "裴立国", (6, 11), "approved"),
    ("红岗装饰", "大庆市红岗区美家装饰工程有限公司", "230605", "E", "micro", "崔凤英", (6, 25), "approved"),
    ("杜蒙旅游", "杜尔伯特蒙古族自治县连环湖旅游开发有限公司", "230624", "H", "small", "包海龙", (5, 14), "approved"),
    ("让区物资", "大庆市让胡路区油城物资供应有限公司", "230604", "F", "small", "苏振东", (4, 8), "approved"),
    ("龙凤印务", "大庆市龙凤区兴业印务有限公司", "230603", "C", "micro", "谷晓东", (3, 16), "approved"),
    ("萨区云联", "大庆市萨尔图区云联网络科技有限公司", "230602", "I", "micro", "贺明", (2, 10), "submitted"),
    ("大同种业", "大庆市大同区良田种业有限公司", "230606", "A", "micro", "黄德胜", (1, 7), "draft"),
]  # fmt: skip

ADDRESS_STREETS = {
    "230602": "大庆市萨尔图区东风新村纬二路",
    "230603": "大庆市龙凤区龙凤大街",
    "230604": "大庆市让胡路区西宾路",
    "230605": "大庆市红岗区八百垧大街",
    "230606": "大庆市大同区庆新大街",
    "230621": "肇州县肇州镇中心街",
    "230622": "肇源县肇源镇新华大街",
    "230623": "林甸县林甸镇东风街",
    "230624": "杜尔伯特蒙古族自治县泰康镇团结大街",
}
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_of(key: str, district: str) -> str:
    """A stable, well-formed 统一社会信用代码 for a population enterprise."""
    digest = hashlib.sha256(key.encode()).digest()
    return make_uscc("91", district, "MA" + "".join(_CODE_CHARS[b % len(_CODE_CHARS)] for b in digest[:6]))


def by_key() -> dict[str, str]:
    """key -> USCC of every population enterprise (for the lending demo)."""
    return {row[0]: uscc_of(row[0], row[2]) for row in POPULATION}


def months_back(months: int, day: int, hour: int = 10) -> dt.datetime:
    """10:00 local time on ``day`` of the month ``months`` before this one (never after yesterday)."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    when = dt.date(index // 12, index % 12 + 1, min(day, 28))
    when = min(when, today - dt.timedelta(days=1))
    return timezone.make_aware(dt.datetime.combine(when, dt.time(hour)))


def seed(stdout, operator) -> None:
    try:
        import time_machine
    except ImportError:
        stdout.write("  enterprises: time-machine missing; demo population skipped\n")
        return
    from dfsp.accounts import services as accounts_services
    from dfsp.accounts.demo import DEMO_PASSWORD
    from dfsp.enterprises import services
    from dfsp.enterprises.demo import _licence, _profile

    registered = set(apps.get_model("accounts", "Organisation").objects.values_list("uscc", flat=True))
    made = 0
    for number, (key, name, district, industry, scale, legal, (months, day), state) in enumerate(
        POPULATION, start=1
    ):
        uscc = uscc_of(key, district)
        if uscc in registered:
            continue
        mobile = f"1384597{number:04d}"
        address = f"{ADDRESS_STREETS[district]} {number * 7 % 180 + 3} 号"
        at = months_back(months, day, 9)
        with time_machine.travel(at, tick=False):
            organisation, admin = accounts_services.register_enterprise_account(
                name=name,
                uscc=uscc,
                region_code=district,
                username=f"qy{uscc[8:17].lower()}",
                full_name=legal,
                mobile=mobile,
                password=DEMO_PASSWORD,
            )
            _profile(organisation, legal, industry, scale, address, legal, mobile)
        if state == "draft":
            made += 1
            continue
        with time_machine.travel(at + dt.timedelta(hours=5), tick=False):
            certification = services.submit_certification(
                actor=admin,
                legal_representative=legal,
                address=address,
                contact_name=legal,
                contact_mobile=mobile,
                materials=services.Materials(business_licence=_licence()),
            )
        if state == "approved":
            with time_machine.travel(at + dt.timedelta(days=1, hours=6), tick=False):
                services.approve_certification(
                    reviewer=operator, certification_id=certification.pk, comment="材料齐全，认证通过。"
                )
        made += 1
    if made:
        stdout.write(f"  enterprises: {made} more enterprises registered over the past year\n")
