"""Credit test fixtures: credit data stubbed behind the real consent gate, grants signed the way
the consent page does, certified enterprises and live products."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.consent import services as consent_services
from dfsp.consent.tests.conftest import (  # noqa: F401  (autouse)
    _unchecked_purposes,  # purpose checks off: the grants here name a made-up application "A-1"
    default_scopes,  # scopes and consent template
)
from dfsp.core.errors import NotFound
from dfsp.credit import versions
from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.enterprises.tests.helpers import certify
from dfsp.institutions import services as institution_services


def record(period="", values=None, *, event_date=None, code=""):
    return SimpleNamespace(period=period, event_date=event_date, code=code, amount=None, values=values or {})


def month(offset: int) -> str:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def good_records(*, years=6, tax_grade="A", monthly_tax="50000", insured=30, **extra) -> dict:
    """A healthy small manufacturer: 12 months of tax and insurance, nothing adverse."""
    established = timezone.localdate() - timedelta(days=int(years * 365.25) + 1)
    data = {
        "registration": [
            record(
                values={
                    "ent_name": "大庆测试企业",
                    "established_on": established.isoformat(),
                    "reg_capital": "500",
                    "industry": "C",
                    "division": "230603",
                    "scale": "small",
                }
            )
        ],
        "tax": [
            record(
                month(i),
                {"period": month(i), "tax_grade": tax_grade, "tax_paid": monthly_tax, "tax_arrears": "0"},
            )
            for i in range(12)
        ],
        "social_insurance": [
            record(month(i), {"period": month(i), "insured_count": str(insured), "si_arrears": "0"})
            for i in range(12)
        ],
        "utilities": [
            record(month(i), {"period": month(i), "utility_type": "electricity", "payment_status": "paid"})
            for i in range(6)
        ],
        "real_estate": [],
        "ip": [
            record(values={"ip_type": "invention", "ip_no": "ZL1"}),
            record(values={"ip_type": "trademark"}),
        ],
        "judicial": [],
        "licence": [],
        "penalty": [],
        "honour": [],
        "watchlist": [],
    }
    data.update(extra)
    return data


class CreditData:
    """Stands in for datahub's profiles (the gate calls datahub.selectors.get_credit_profile)."""

    def __init__(self):
        self.by_uscc: dict[str, dict] = {}

    def set(self, uscc: str, records: dict, name="大庆测试企业"):
        self.by_uscc[uscc] = {"records": records, "name": name}

    def __call__(self, *, uscc):
        entry = self.by_uscc.get(uscc)
        if entry is None:
            raise NotFound()
        sections = {
            category: SimpleNamespace(category=category, label=category, records=rows)
            for category, rows in entry["records"].items()
        }
        return SimpleNamespace(uscc=uscc, name=entry["name"], sections=sections)


@pytest.fixture
def credit_data(monkeypatch):
    data = CreditData()
    monkeypatch.setattr("dfsp.datahub.selectors.get_credit_profile", data)
    return data


@pytest.fixture
def platform_models(db, operator_user):
    return versions.install_platform_models(actor=operator_user)


@pytest.fixture
def enterprise(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    return organisation_of(enterprise_admin)


@pytest.fixture
def bank(loan_officer):
    return organisation_of(loan_officer)


@pytest.fixture
def bank_admin(bank):
    return member("institution_admin", organisation=bank, username="bank_admin_c")


@pytest.fixture
def other_officer(db):
    return member("institution_user", username="other_officer_c")


@pytest.fixture
def grant(enterprise_admin, enterprise, bank):
    """Sign a grant to the bank (all model scopes by default) as the consent page does."""
    from dfsp.credit.features import MODEL_SCOPES

    def _sign(scopes=tuple(MODEL_SCOPES), purpose_type="application", purpose_id="A-1", institution=None):
        institution = institution or bank
        preview = consent_services.preview_grant(
            actor=enterprise_admin,
            institution_id=institution.pk,
            scope_codes=list(scopes),
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            valid_until=None,
            query_limit=None,
        )
        return consent_services.grant_consent(
            actor=enterprise_admin,
            institution_id=institution.pk,
            scope_codes=list(scopes),
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            shown_text_hash=preview["text_hash"],
            confirmed=True,
            ip="10.0.0.8",
        )

    return _sign


PRODUCT = {
    "name": "经营快贷",
    "product_type": "credit_loan",
    "amount_min": "10",
    "amount_max": "300",
    "term_min": 3,
    "term_max": 36,
    "rate_min": "3.45",
    "rate_max": "4.35",
    "repayment_methods": ["interest_first"],
    "guarantee_methods": ["credit"],
    "tags": ["pure_credit"],
    "target_regions": ["230600"],
    "industries": ["C"],
    "scales": ["small"],
    "min_years": 1,
    "min_credit_grade": "BBB",
    "data_scopes": ["registration", "tax"],
    "materials": ["营业执照"],
    "response_days": 3,
    "description": "线上申请，随借随还。",
    "contact_name": "陈经理",
    "contact_phone": "0459-6382100",
}


def make_live_product(staff, operator, **overrides):
    product = institution_services.create_product(actor=staff, content={**PRODUCT, **overrides})
    institution_services.submit_product(actor=staff, product_id=product.pk)
    institution_services.approve_product(actor=operator, product_id=product.pk)
    product.refresh_from_db()
    return product


@pytest.fixture
def product(loan_officer, operator_user):
    return make_live_product(loan_officer, operator_user)
