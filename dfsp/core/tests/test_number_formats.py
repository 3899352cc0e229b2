from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    "{% load humanize %}{{ v|floatformat:0|intcomma }}|{{ v|floatformat:2|intcomma }}|{{ i|intcomma }}"
)


def test_chinese_amounts_group_by_thousands_with_a_comma():
    with translation.override("zh-hans"):
        rendered = TEMPLATE.render(Context({"v": Decimal("1234567.891"), "i": 1234567}))
    assert rendered == "1,234,568|1,234,567.89|1,234,567"


def test_chinese_dates_keep_djangos_zh_hans_format():
    import datetime

    with translation.override("zh-hans"):
        rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2026, 11, 25)}))
    assert rendered == "2026年11月25日"
