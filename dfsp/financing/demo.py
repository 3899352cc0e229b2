"""Demo demands of 华源新材料 (certified): three live, one waiting for review, one taken by the
ICBC loan officer (bank_officer). Made through the services, so audit and messages are real."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from dfsp.financing import services
from dfsp.financing.models import Demand

# title, amount, months, rate, guarantee, urgency, days valid, purpose, then: "live" | "pending" | "taken"
DEMANDS = [
    (
        "聚丙烯改性生产线技改流动资金",
        "5000000",
        12,
        "4.80",
        "mortgage",
        "urgent",
        60,
        "采购聚丙烯原料及改性助剂，保障新增两条改性生产线的原料周转。",
        "live",
    ),
    (
        "新建危化品仓储设施项目贷款",
        "12000000",
        36,
        "5.20",
        "guarantee",
        "normal",
        90,
        "新建 3000 立方米危化品标准化仓库，已取得安评与环评批复。",
        "live",
    ),
    (
        "应收账款周转短期融资",
        "1500000",
        6,
        "5.50",
        "pledge",
        "very_urgent",
        30,
        "以对大庆石化的应收账款质押，解决季末回款前的工资及电费支出。",
        "live",
    ),
    (
        "研发中心设备购置贷款",
        "3000000",
        24,
        "4.50",
        "credit",
        "normal",
        120,
        "购置气相色谱仪、流变仪等研发检测设备，申报省级企业技术中心。",
        "pending",
    ),
    (
        "冬季原料储备贷款",
        "2000000",
        12,
        "4.90",
        "mortgage",
        "urgent",
        45,
        "冬储期间集中采购原料，锁定采购价格。",
        "taken",
    ),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def seed(stdout) -> None:
    ent_admin, operator, officer = _user("ent_admin"), _user("operator"), _user("bank_officer")
    if not (ent_admin and operator and officer):
        return
    from dfsp.accounts.selectors import organisation_of
    from dfsp.consent.demo import sign_demo_grant
    from dfsp.consent.states import PurposeType
    from dfsp.enterprises.selectors import is_certified

    organisation = organisation_of(ent_admin)
    if not is_certified(organisation):
        return
    today = timezone.localdate()
    for title, amount, months, rate, guarantee, urgency, days, purpose, end in DEMANDS:
        if Demand.objects.filter(organisation=organisation, title=title).exists():
            continue
        demand = services.publish_demand(
            actor=ent_admin,
            title=title,
            amount=Decimal(amount),
            term_months=months,
            purpose=purpose,
            acceptable_rate=Decimal(rate),
            guarantee=guarantee,
            urgency=urgency,
            valid_until=today + timedelta(days=days),
            contact_name="王建国",
            contact_mobile="13804590001",
        )
        if end in ("live", "taken"):
            services.approve_demand(reviewer=operator, demand_id=demand.pk, comment="信息完整，同意发布。")
        if end == "taken":
            services.take_demand(actor=officer, demand_id=demand.pk)
            # The enterprise lets the bank that took its demand read its credit data for it.
            sign_demo_grant(
                signer=ent_admin,
                institution=organisation_of(officer),
                scopes=["registration", "tax", "judicial"],
                purpose_type=PurposeType.DEMAND,
                purpose_id=demand.pk,
                limit=20,
            )
    stdout.write("financing: demo demands seeded\n")
    from dfsp.financing.demo_applications import seed_applications

    seed_applications(stdout)
