"""Demo loan applications of 华源新材料 (ent_admin, the certified demo enterprise) in every state,
made through the services so the consent grants are really signed, and audit and messages are real.

The one to disburse: **经营快贷 at 工行大庆分行, approved** (2,000,000 yuan, 3.85 %, 12 months) —
the loans demo records the loan for it (``mark_disbursed``)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from dfsp.financing import services
from dfsp.financing.models import Application

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# institution short name, product, amount, months, purpose, the state to leave it in
APPLICATIONS = [
    ("工行大庆分行", "经营快贷", "2000000", 12, "支付聚丙烯改性助剂采购款及一季度电费。", "approved"),
    (
        "工行大庆分行",
        "e抵快贷",
        "6000000",
        60,
        "以厂区办公楼抵押，用于新建两条改性生产线的设备购置。",
        "submitted",
    ),
    ("工行大庆分行", "科创贷", "3000000", 24, "研发中心检测设备购置，以两项发明专利质押。", "accepted"),
    ("工行大庆分行", "供应链e信", "1500000", 6, "对大庆石化应收账款保理融资，季末回款前周转。", "returned"),
    ("大庆农商行", "兴商贷", "1000000", 12, "补充日常流动资金。", "rejected"),
    ("大庆农商行", "首贷通", "300000", 6, "临时周转（已改向工行申请）。", "withdrawn"),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _material():
    return ContentFile(MINIMAL_PDF, name="营业执照.pdf")


def _apply(ent_admin, product, amount, months, purpose):
    preview = services.preview_application(actor=ent_admin, product_id=product.pk)
    return services.submit_application(
        actor=ent_admin,
        product_id=product.pk,
        amount=Decimal(amount),
        term_months=months,
        purpose=purpose,
        materials=[_material()],
        number=preview["number"],
        shown_text_hash=preview["text_hash"],
        confirmed=True,
    )


def _drive(application, end, officer, ent_admin):
    pk = application.pk
    if end in ("accepted", "approved"):
        services.accept_application(actor=officer, application_id=pk, comment="材料齐全，予以受理。")
    if end == "accepted":
        services.add_note(
            actor=officer, application_id=pk, text="专利评估报告已委托第三方，预计三个工作日出具。"
        )
    if end == "approved":
        services.approve_application(
            actor=officer,
            application_id=pk,
            amount=Decimal("2000000"),
            rate=Decimal("3.85"),
            term_months=12,
            conditions="按月付息，到期还本；实际控制人提供连带责任保证。",
        )
    if end == "returned":
        services.return_application(
            actor=officer,
            application_id=pk,
            request_text="请补充与大庆石化的应收账款确权凭证及近三个月对账单。",
        )
    if end == "rejected":
        services.reject_application(
            actor=officer,
            application_id=pk,
            reason_code="collateral",
            text="申请金额超出可接受的保证能力，请补充抵押物或引入担保公司后再申请。",
        )
    if end == "withdrawn":
        services.withdraw_application(actor=ent_admin, application_id=pk, reason="已改向工行申请。")


def seed_applications(stdout) -> None:
    from dfsp.accounts.selectors import organisation_of
    from dfsp.enterprises.selectors import is_certified
    from dfsp.institutions.selectors import list_products_for

    ent_admin = _user("ent_admin")
    officers = {"工行大庆分行": _user("bank_officer"), "大庆农商行": _user("rcb_officer")}
    if ent_admin is None or not is_certified(organisation_of(ent_admin)):
        return
    enterprise = organisation_of(ent_admin)
    made = 0
    for short_name, product_name, amount, months, purpose, end in APPLICATIONS:
        officer = officers[short_name]
        product = (
            list_products_for(officer).filter(name=product_name, status="live").first() if officer else None
        )
        if officer is None or product is None:
            continue
        if Application.objects.filter(enterprise=enterprise, product=product).exists():
            continue
        application = _apply(ent_admin, product, amount, months, purpose)
        _drive(application, end, officer, ent_admin)
        made += 1
    stdout.write(f"financing: {made} demo loan applications seeded\n")
