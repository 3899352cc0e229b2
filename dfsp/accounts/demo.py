"""Demo organisations and one account per role, in 大庆市 (Daqing, Heilongjiang)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.models import Membership, Organisation, PasswordHistory, User
from dfsp.accounts.roles import ADMIN_ROLES, TOTP_REQUIRED_ROLES, InstitutionSubtype, OrganisationKind, Role
from dfsp.core.identifiers import make_uscc

# Demo data only: printed by `make run` so a newcomer can try every role.
DEMO_PASSWORD = "Daqing#2026demo"  # noqa: S105


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    kind: str
    name: str
    short_name: str
    region_code: str
    uscc: str = ""
    subtype: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        "operator",
        OrganisationKind.OPERATOR,
        "大庆市数字金融服务中心",
        "平台运营中心",
        "230600",
        make_uscc("12", "230600", "MB198253"),
    ),
    DemoOrganisation(
        "finance_bureau",
        OrganisationKind.GOVERNMENT,
        "大庆市地方金融管理局",
        "市金融局",
        "230600",
        make_uscc("11", "230600", "MB150418"),
    ),
    DemoOrganisation(
        "credit_office",
        OrganisationKind.GOVERNMENT,
        "大庆市发展和改革委员会（社会信用体系建设办公室）",
        "市信用办",
        "230600",
        make_uscc("11", "230600", "00814302"),
    ),
    DemoOrganisation(
        "icbc",
        OrganisationKind.INSTITUTION,
        "中国工商银行股份有限公司大庆分行",
        "工行大庆分行",
        "230602",
        make_uscc("91", "230600", "12689735"),
        InstitutionSubtype.BANK,
    ),
    DemoOrganisation(
        "rcb",
        OrganisationKind.INSTITUTION,
        "大庆农村商业银行股份有限公司",
        "大庆农商行",
        "230604",
        make_uscc("91", "230600", "MA1B2X4C"),
        InstitutionSubtype.BANK,
    ),
    DemoOrganisation(
        "guarantee",
        OrganisationKind.INSTITUTION,
        "大庆市融资担保有限责任公司",
        "市融资担保公司",
        "230602",
        make_uscc("91", "230602", "MA19R7KT"),
        InstitutionSubtype.GUARANTOR,
    ),
    DemoOrganisation(
        "microloan",
        OrganisationKind.INSTITUTION,
        "大庆高新区鑫源小额贷款有限公司",
        "鑫源小贷",
        "230606",
        make_uscc("91", "230606", "MA1AT0J5"),
        InstitutionSubtype.MICRO_LOAN,
    ),
    DemoOrganisation(
        "petrochem",
        OrganisationKind.ENTERPRISE,
        "大庆龙凤华源石化新材料有限公司",
        "华源新材料",
        "230603",
        make_uscc("91", "230603", "MA1C4QY7"),
    ),
    DemoOrganisation(
        "agri",
        OrganisationKind.ENTERPRISE,
        "大庆市肇源县丰禾农业发展有限公司",
        "丰禾农业",
        "230622",
        make_uscc("91", "230622", "MA1BNW82"),
    ),
    DemoOrganisation(
        "coop",
        OrganisationKind.ENTERPRISE,
        "林甸县绿野杂粮种植农民专业合作社",
        "绿野合作社",
        "230623",
        make_uscc("93", "230623", "MA1D0E6H"),
    ),
    DemoOrganisation(
        "village",
        OrganisationKind.ENTERPRISE,
        "杜尔伯特蒙古族自治县胡吉吐莫村股份经济合作社",
        "胡吉吐莫村合作社",
        "230624",
        make_uscc("N2", "230624", "MA1E3R0P"),
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    mobile: str
    organisation: str
    role: str
    what_to_try: str


ACCOUNTS = [
    DemoAccount(
        "ent_admin",
        "王建国",
        "13804590001",
        "petrochem",
        Role.ENTERPRISE_ADMIN,
        "Enterprise administrator of 华源新材料",
    ),
    DemoAccount(
        "ent_user", "李秀兰", "13804590002", "petrochem", Role.ENTERPRISE_USER, "Enterprise staff member"
    ),
    DemoAccount(
        "agri_admin",
        "赵春生",
        "13904590003",
        "agri",
        Role.ENTERPRISE_ADMIN,
        "A second enterprise that must never see the first one's data",
    ),
    DemoAccount(
        "bank_officer", "刘海峰", "13604590004", "icbc", Role.INSTITUTION_USER, "Loan officer, ICBC Daqing"
    ),
    DemoAccount(
        "bank_admin",
        "陈雪梅",
        "13604590005",
        "icbc",
        Role.INSTITUTION_ADMIN,
        "Institution administrator (API keys)",
    ),
    DemoAccount(
        "rcb_officer", "孙立军", "13704590006", "rcb", Role.INSTITUTION_USER, "Loan officer, Daqing RCB"
    ),
    DemoAccount("operator", "周敏", "15904590007", "operator", Role.OPERATOR, "Platform operator"),
    DemoAccount("editor", "吴婷", "15904590008", "operator", Role.CONTENT_EDITOR, "Content editor"),
    DemoAccount("reviewer", "郑强", "15904590009", "operator", Role.CONTENT_REVIEWER, "Content reviewer"),
    DemoAccount(
        "regulator",
        "马国庆",
        "18604590010",
        "finance_bureau",
        Role.REGULATOR,
        "Regulator, municipal finance bureau",
    ),
    DemoAccount(
        "credit_officer",
        "杨帆",
        "18604590011",
        "credit_office",
        Role.REGULATOR,
        "Regulator, municipal credit office",
    ),
    DemoAccount("sysadmin", "黄志远", "18904590012", "operator", Role.SYSTEM_ADMIN, "System administrator"),
    DemoAccount("secadmin", "林静", "18904590013", "operator", Role.SECURITY_ADMIN, "Security administrator"),
    DemoAccount("auditor", "何文博", "18904590014", "operator", Role.AUDIT_ADMIN, "Audit administrator"),
]


def _seed_organisations() -> dict[str, Organisation]:
    created = {}
    for spec in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            uscc=spec.uscc,
            defaults={
                "kind": spec.kind,
                "name": spec.name,
                "short_name": spec.short_name,
                "region_code": spec.region_code,
                "institution_subtype": spec.subtype,
            },
        )
        created[spec.key] = organisation
    return created


def _seed_account(spec: DemoAccount, organisation: Organisation) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User(
            username=spec.username,
            full_name=spec.full_name,
            mobile=spec.mobile,
            must_change_password=spec.role in ADMIN_ROLES,
        )
        user.set_password(DEMO_PASSWORD)
        from django.utils import timezone

        user.password_changed_at = timezone.now()
        user.save()
        PasswordHistory.objects.create(user=user, password=user.password)
    Membership.objects.get_or_create(user=user, role=spec.role, defaults={"organisation": organisation})
    if spec.role in TOTP_REQUIRED_ROLES and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return user


def seed(stdout) -> None:
    with transaction.atomic():
        organisations = _seed_organisations()
        for spec in ACCOUNTS:
            _seed_account(spec, organisations[spec.organisation])


def demo_totp_secret(user: User) -> str | None:
    """Base32 TOTP secret of a demo account; only ever shown in demo mode."""
    if not settings.DEMO_MODE:
        return None
    import base64

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return base64.b32encode(device.bin_key).decode() if device else None
