"""Test helpers: files, an SMS backend that keeps what it sends, certified enterprises."""

from datetime import date

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from dfsp.accounts.tests.factories import member
from dfsp.enterprises import services
from dfsp.enterprises.models import EnterpriseProfile

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def pdf(name="营业执照.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CapturingSms:
    """settings.NOTIFICATION_CHANNELS["sms"] in tests: keeps the texts so a test can read the code."""

    sent: list = []

    def send(self, address, text):
        CapturingSms.sent.append((address, text))


def last_code_for(mobile: str) -> str:
    import re

    for address, text in reversed(CapturingSms.sent):
        if address == mobile:
            return re.search(r"\d{6}", text).group(0)
    raise AssertionError("no code sent")


def audit_events(**filters):
    return apps.get_model("audit", "AuditEvent").objects.filter(**filters)


def profile_for(admin, industry="C", scale="small"):
    from dfsp.accounts.selectors import organisation_of

    return EnterpriseProfile.objects.get_or_create(
        organisation=organisation_of(admin),
        defaults={"legal_representative": "王建国", "industry": industry, "scale": scale},
    )[0]


def submit(admin, **overrides):
    profile_for(admin)
    fields = {
        "legal_representative": "王建国",
        "address": "大庆市龙凤区兴化路 18 号",
        "contact_name": "王建国",
        "contact_mobile": "13804590001",
        "materials": services.Materials(business_licence=pdf()),
    }
    fields.update(overrides)
    return services.submit_certification(actor=admin, **fields)


def certify(admin, operator):
    certification = submit(admin)
    return services.approve_certification(reviewer=operator, certification_id=certification.pk)


def blacklist(operator, uscc, **overrides):
    fields = {
        "uscc": uscc,
        "name": "大庆市测试失信企业有限公司",
        "kind": "judgment_defaulter",
        "source": "中国执行信息公开网",
        "reason": "拒不履行生效判决",
        "issuing_body": "大庆市萨尔图区人民法院",
        "start_date": date(2025, 1, 1),
        "end_date": None,
    }
    fields.update(overrides)
    return services.create_blacklist_entry(actor=operator, **fields)


def enterprise_member(role="enterprise_admin", **fields):
    return member(role, **fields)
