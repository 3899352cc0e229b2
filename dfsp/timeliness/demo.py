"""Demo urging at 工行大庆分行 (bank_officer / bank_admin): one late application urged once by the
regulator and answered by the loan officer, and one urged three times — now in the regulators'
督办 list. Builds on late applications of the financing demo; if there are not two, it submits
them through the financing services as 华源新材料 (ent_admin) with the clock set back eight working
days (time-machine, a development dependency: without it the urging demo is skipped), to ICBC
products 华源 has no open application for — listing two more ICBC products if needed."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from dfsp.accounts.selectors import organisation_of
from dfsp.core.errors import DomainError
from dfsp.financing import selectors as financing_selectors
from dfsp.financing import services as financing_services
from dfsp.institutions import selectors as institution_selectors
from dfsp.timeliness import services
from dfsp.timeliness.models import Urge
from dfsp.workdays.selectors import add_working_days

REPLY = "该笔申请所需的近三个月纳税及用电数据已补齐，客户经理将于今日内完成受理并与企业联系。"
PURPOSES = ["采购聚丙烯原料，保障四季度订单生产", "新增改性生产线设备款"]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _late_at(institution) -> list:
    return [a for a in financing_selectors.late_applications() if a.institution_id == institution.pk]


# ICBC products of the demo that every late application may need (the financing demo's
# applications of 华源新材料 already occupy ICBC's listed products: one open application each).
EXTRA_PRODUCTS = [
    ("结算流水贷", "按企业在工行的结算流水核定额度，线上申请、线下签约，适用于结算稳定的小微企业。"),
    ("税务贷", "依据企业纳税信用等级和纳税额核定授信，纯信用、随借随还。"),
]


def _extra_product(officer, operator, name, description):
    from dfsp.institutions import services as institution_services
    from dfsp.institutions.demo import PRODUCTS

    base = PRODUCTS["工行大庆分行"][0]["content"]
    content = dict(
        base, name=name, description=description, contact_name="刘海峰", contact_phone="0459-6382166"
    )
    product = institution_services.create_product(actor=officer, content=content)
    institution_services.submit_product(actor=officer, product_id=product.pk)
    return institution_services.approve_product(actor=operator, product_id=product.pk)


def _free_products(enterprise, officer) -> list:
    return [
        p
        for p in institution_selectors.list_products_for(officer)
        if p.status == "live"
        and financing_selectors.open_application_for_product(enterprise=enterprise, product=p) is None
    ]


def _submit_back_dated(enterprise_admin, officer, operator, count: int) -> None:
    try:
        import time_machine
    except ImportError:
        return
    enterprise = organisation_of(enterprise_admin)
    day = add_working_days(timezone.localdate(), -8)
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    with time_machine.travel(when, tick=False):
        products = _free_products(enterprise, officer)
        names = {p.name for p in institution_selectors.list_products_for(officer)}
        for name, description in EXTRA_PRODUCTS:
            if len(products) >= count:
                break
            if name not in names:
                products.append(_extra_product(officer, operator, name, description))
        for product, purpose in zip(products[:count], PURPOSES, strict=False):
            preview = financing_services.preview_application(actor=enterprise_admin, product_id=product.pk)
            amount = min(max(product.amount_min, Decimal("100")), product.amount_max) * 10000
            financing_services.submit_application(
                actor=enterprise_admin,
                product_id=product.pk,
                amount=amount,
                term_months=min(max(product.term_min, 12), product.term_max),
                purpose=purpose,
                number=preview["number"],
                shown_text_hash=preview["text_hash"],
                confirmed=True,
            )


def seed(stdout) -> None:
    regulator, operator = _user("regulator"), _user("operator")
    officer, enterprise_admin = _user("bank_officer"), _user("ent_admin")
    if not (regulator and operator and officer and enterprise_admin):
        return
    icbc = organisation_of(officer)
    if Urge.objects.filter(institution=icbc).exists():
        return
    late = _late_at(icbc)
    if len(late) < 2:
        try:
            _submit_back_dated(enterprise_admin, officer, operator, 2 - len(late))
        except DomainError as exc:
            stdout.write(f"  timeliness: could not create late applications ({exc.code})\n")
        late = _late_at(icbc)
    services.flag_late_applications()
    if len(late) < 2:
        stdout.write("  timeliness: fewer than two late applications at ICBC; urging demo skipped\n")
        return
    answered, supervised = late[0], late[1]
    urge = services.urge_application(
        actor=regulator,
        application_id=answered.pk,
        note="该笔融资申请已超过受理时限，请于今日内处理并回复进展。",
    )
    services.reply_to_urge(actor=officer, urge_id=urge.pk, reply=REPLY)
    for actor, note in (
        (regulator, "申请已超时限，请尽快处理。"),
        (operator, "企业来电反映未获受理，请机构管理员督促经办人员办理。"),
        (regulator, "经两次催办仍未处理，转入督办。"),
    ):
        services.urge_application(actor=actor, application_id=supervised.pk, note=note)
    stdout.write("  timeliness: ICBC has one urge answered and one application under 督办\n")
