"""GB/T 2260 administrative divisions used by the platform (Heilongjiang province).

The full versioned code sets arrive with the data-standards module; organisations only need
valid division codes of the province the platform serves.
"""

HEILONGJIANG_DIVISIONS: dict[str, str] = {
    "230000": "黑龙江省",
    "230100": "哈尔滨市",
    "230102": "道里区",
    "230103": "南岗区",
    "230104": "道外区",
    "230108": "平房区",
    "230109": "松北区",
    "230110": "香坊区",
    "230111": "呼兰区",
    "230112": "阿城区",
    "230113": "双城区",
    "230183": "尚志市",
    "230184": "五常市",
    "230200": "齐齐哈尔市",
    "230300": "鸡西市",
    "230400": "鹤岗市",
    "230500": "双鸭山市",
    "230600": "大庆市",
    "230602": "萨尔图区",
    "230603": "龙凤区",
    "230604": "让胡路区",
    "230605": "红岗区",
    "230606": "大同区",
    "230621": "肇州县",
    "230622": "肇源县",
    "230623": "林甸县",
    "230624": "杜尔伯特蒙古族自治县",
    "230700": "伊春市",
    "230800": "佳木斯市",
    "230900": "七台河市",
    "231000": "牡丹江市",
    "231100": "黑河市",
    "231200": "绥化市",
    "232700": "大兴安岭地区",
}


def region_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in HEILONGJIANG_DIVISIONS.items()]


def region_name(code: str) -> str:
    return HEILONGJIANG_DIVISIONS.get(code, code)


def full_region_name(code: str) -> str:
    """E.g. 230602 -> 黑龙江省大庆市萨尔图区."""
    parts = []
    for prefix_code in (code[:2] + "0000", code[:4] + "00", code):
        name = HEILONGJIANG_DIVISIONS.get(prefix_code)
        if name and name not in parts:
            parts.append(name)
    return "".join(parts) or code
