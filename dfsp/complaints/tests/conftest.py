"""Shared fixtures and the filing helper of the complaints tests."""

import pytest

from dfsp.accounts.tests.factories import OrganisationFactory
from dfsp.complaints import services

MOBILE = "13904591101"


@pytest.fixture
def bank(db):
    return OrganisationFactory(institution=True, name="大庆测试银行")


@pytest.fixture
def sms(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "send_sms", lambda **kw: sent.append(kw))
    return sent


def file_one(bank=None, **overrides):
    values = {
        "filer": None,
        "kind": "complaint",
        "subject_kind": "institution" if bank else "platform",
        "institution": bank,
        "service": "" if bank else "financing",
        "title": "审批超时",
        "content": "三周没有答复",
        "contact_name": "张伟",
        "contact_mobile": MOBILE,
    }
    values.update(overrides)
    return services.file_complaint(**values)
