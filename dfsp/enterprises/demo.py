"""Demo data: profiles for the 大庆 demo enterprises, certifications in every interesting state,
a realistic blacklist, and one clearly named example enterprise whose certification will hit it.

Runs through the services (audited, messaged) so the demo looks like real use; idempotent.
"""

from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from dfsp.accounts import services as accounts_services
from dfsp.accounts.demo import DEMO_PASSWORD
from dfsp.accounts.demo import ORGANISATIONS as DEMO_ORGANISATIONS
from dfsp.core.identifiers import make_uscc
from dfsp.enterprises import services
from dfsp.enterprises.models import (
    BlacklistEntry,
    Certification,
    CertificationEvent,
    CertificationMaterial,
    EnterpriseProfile,
)
from dfsp.enterprises.states import BlacklistKind, CertificationStatus

# name, legal representative, industry, scale, address, contact, mobile
PROFILES = {
    "petrochem": ("王建国", "C", "medium", "大庆市龙凤区兴化路 18 号", "王建国", "13804590001"),
    "agri": ("赵春生", "A", "small", "大庆市肇源县肇源镇富强路 6 号", "赵春生", "13904590003"),
    "coop": ("刘玉芬", "A", "micro", "林甸县林甸镇东兴村", "刘玉芬", "13904590021"),
    "village": ("包金山", "A", "micro", "杜尔伯特蒙古族自治县胡吉吐莫镇胡吉吐莫村", "包金山", "13904590022"),
}
DEMO_USCC = {spec.key: spec.uscc for spec in DEMO_ORGANISATIONS}
EXAMPLE_USCC = make_uscc("91", "230605", "MA1F7K2W")
EXAMPLE_ADMIN = "blacklist_demo"

BLACKLIST = [
    (
        make_uscc("91", "230602", "MA1A8Q3N"),
        "大庆市萨尔图区鑫盛达商贸有限公司",
        BlacklistKind.JUDGMENT_DEFAULTER,
        "中国执行信息公开网",
        "有履行能力而拒不履行生效法律文书确定的给付义务",
        "大庆市萨尔图区人民法院",
        date(2025, 3, 12),
        None,
    ),
    (
        make_uscc("91", "230604", "MA19W6LD"),
        "大庆市让胡路区恒通建材经销有限公司",
        BlacklistKind.SERIOUS_DISHONESTY,
        "信用中国（黑龙江）",
        "虚开增值税专用发票，税收违法“黑名单”案件",
        "国家税务总局大庆市税务局",
        date(2024, 11, 5),
        date(2027, 11, 4),
    ),
    (
        make_uscc("91", "230606", "MA1B5T9R"),
        "大庆市大同区顺达物流有限公司",
        BlacklistKind.ABNORMAL_OPERATION,
        "国家企业信用信息公示系统",
        "通过登记的住所或者经营场所无法联系",
        "大庆市市场监督管理局",
        date(2024, 6, 1),
        date(2025, 6, 1),  # already over: shows that ended entries stop matching
    ),
    (
        EXAMPLE_USCC,
        "【演示】大庆市红岗区黑名单示例商贸有限公司",
        BlacklistKind.SERIOUS_DISHONESTY,
        "演示数据",
        "演示用条目：该企业提交认证时将被终止",
        "大庆市发展和改革委员会（社会信用体系建设办公室）",
        date(2025, 1, 1),
        None,
    ),
]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _licence():
    return SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf")


def _profile(organisation, legal, industry, scale, address, contact, mobile):
    EnterpriseProfile.objects.get_or_create(
        organisation=organisation,
        defaults={
            "legal_representative": legal,
            "industry": industry,
            "scale": scale,
            "address": address,
            "contact_name": contact,
            "contact_mobile": mobile,
        },
    )


def _submit(admin, profile_fields):
    legal, _industry, _scale, address, contact, mobile = profile_fields
    return services.submit_certification(
        actor=admin,
        legal_representative=legal,
        address=address,
        contact_name=contact,
        contact_mobile=mobile,
        materials=services.Materials(business_licence=_licence()),
    )


def _organisation(key):
    uscc = DEMO_USCC[key]
    return apps.get_model("accounts", "Organisation").objects.filter(uscc=uscc).first()


def seed(stdout) -> None:
    operator = _user("operator")
    if operator is None:
        return
    for uscc, name, kind, source, reason, body, start, end in BLACKLIST:
        if not BlacklistEntry.objects.filter(uscc=uscc, kind=kind).exists():
            services.create_blacklist_entry(
                actor=operator,
                uscc=uscc,
                name=name,
                kind=kind,
                source=source,
                reason=reason,
                issuing_body=body,
                start_date=start,
                end_date=end,
            )
    with transaction.atomic():
        for key, fields in PROFILES.items():
            organisation = _organisation(key)
            if organisation is not None:
                _profile(organisation, *fields)

    ent_admin, agri_admin = _user("ent_admin"), _user("agri_admin")
    if ent_admin is not None and _draft(_organisation("petrochem")):
        certification = _submit(ent_admin, PROFILES["petrochem"])
        services.approve_certification(
            reviewer=operator, certification_id=certification.pk, comment="材料齐全，认证通过。"
        )
    if agri_admin is not None and _draft(_organisation("agri")):
        _submit(agri_admin, PROFILES["agri"])
    coop = _organisation("coop")
    if coop is not None and _draft(coop):
        _seed_returned(operator, coop)

    if _user(EXAMPLE_ADMIN) is None:
        organisation, _admin = accounts_services.register_enterprise_account(
            name="【演示】大庆市红岗区黑名单示例商贸有限公司",
            uscc=EXAMPLE_USCC,
            region_code="230605",
            username=EXAMPLE_ADMIN,
            full_name="钱示例",
            mobile="13804590099",
            password=DEMO_PASSWORD,
        )
        _profile(organisation, "钱示例", "F", "micro", "大庆市红岗区红岗路 1 号", "钱示例", "13804590099")
        with transaction.atomic():
            certification = Certification.objects.create(organisation=organisation)
            CertificationEvent.objects.create(
                certification=certification, to_status=CertificationStatus.DRAFT
            )
    stdout.write("enterprises: profiles, certifications and blacklist seeded\n")
    from dfsp.enterprises import demo_population

    demo_population.seed(stdout, operator)


def _draft(organisation) -> bool:
    if organisation is None:
        return False
    status = Certification.objects.filter(organisation=organisation).values_list("status", flat=True).first()
    return status in (None, CertificationStatus.DRAFT)


def _seed_returned(operator, organisation):
    """绿野合作社 has no demo login: its submission is written directly, then returned by the operator."""
    with transaction.atomic():
        certification, _created = Certification.objects.get_or_create(organisation=organisation)
        material = CertificationMaterial(
            certification=certification,
            kind=CertificationMaterial.Kind.BUSINESS_LICENCE,
            original_name="营业执照（复印件）.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        material.file.save("demo-coop-licence.pdf", _licence(), save=False)
        material.save()
        CertificationEvent.objects.create(certification=certification, to_status=CertificationStatus.DRAFT)
        CertificationEvent.objects.create(
            certification=certification,
            from_status=CertificationStatus.DRAFT,
            to_status=CertificationStatus.SUBMITTED,
        )
        certification.status = CertificationStatus.SUBMITTED
        certification.submitted_at = timezone.now()
        certification.save()
    services.return_certification(
        reviewer=operator,
        certification_id=certification.pk,
        reason="营业执照复印件不清晰，请补充上传加盖公章的清晰扫描件及法定代表人身份证明。",
    )
