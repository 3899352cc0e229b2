from datetime import date

import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.consent import selectors, services
from dfsp.datahub.selectors import CategoryView, CreditProfile, ProfileRecord


def _record(period, values, event_date=None):
    return ProfileRecord("k", period, "", None, event_date, values, "src", "源", 1, None)


def stub_profile(*, uscc):
    """A profile as datahub returns it (registration, recent and old tax, judicial)."""
    return CreditProfile(
        uscc=uscc,
        name="大庆测试企业",
        sections={
            "registration": CategoryView(
                "registration",
                "Registration",
                [
                    _record(
                        "",
                        {
                            "ent_name": "大庆测试企业",
                            "legal_rep_name": "王建国",
                            "legal_rep_id": "230602199001011234",
                            "legal_rep_mobile": "13804590001",
                            "reg_status": "active",
                        },
                    )
                ],
            ),
            "tax": CategoryView(
                "tax",
                "Tax",
                [
                    _record(
                        date.today().strftime("%Y-%m"),
                        {"period": date.today().strftime("%Y-%m"), "tax_grade": "A", "tax_paid": "1000"},
                    ),
                    _record("2001-01", {"period": "2001-01", "tax_grade": "B", "tax_paid": "5"}),
                ],
            ),
            "judicial": CategoryView(
                "judicial",
                "Judicial",
                [_record("", {"case_no": "（2024）黑0603民初1号", "judicial_kind": "case"}, date.today())],
            ),
        },
    )


@pytest.fixture
def provider():
    return stub_profile


@pytest.fixture
def enterprise(enterprise_admin):
    return organisation_of(enterprise_admin)


@pytest.fixture
def institution(loan_officer):
    return organisation_of(loan_officer)


@pytest.fixture
def bank_admin(institution):
    return member("institution_admin", organisation=institution, username="bank_admin_t")


@pytest.fixture
def other_bank_officer(db):
    return member("institution_user", username="other_bank_t")


@pytest.fixture
def sign(enterprise_admin, institution):
    """Sign a grant as the enterprise admin the way the page does (preview, then sign)."""

    def _sign(
        scopes=("registration", "tax"),
        purpose_type="demand",
        purpose_id="D-1",
        actor=None,
        institution_id=None,
        **kwargs,
    ):
        actor = actor or enterprise_admin
        institution_id = institution_id or institution.pk
        preview = services.preview_grant(
            actor=actor,
            institution_id=institution_id,
            scope_codes=list(scopes),
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            valid_until=kwargs.get("valid_until"),
            query_limit=kwargs.get("query_limit"),
        )
        return services.grant_consent(
            actor=actor,
            institution_id=institution_id,
            scope_codes=list(scopes),
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            shown_text_hash=preview["text_hash"],
            confirmed=True,
            ip="10.0.0.8",
            **kwargs,
        )

    return _sign


@pytest.fixture(autouse=True)
def _unchecked_purposes(monkeypatch):
    """Consent's own tests use made-up purpose references ("D-1"): the checkers the owning apps
    register (financing, institutions, postloan) are tested there; here none is registered."""
    from dfsp.consent import purposes

    monkeypatch.setattr(purposes, "_CHECKERS", {})


@pytest.fixture(autouse=True)
def default_scopes(request):
    """Migration 0003 installs them, but a transactional test's flush empties the tables again."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or marker is not None:
        request.getfixturevalue("db")
    else:
        return
    from dfsp.consent import defaults
    from dfsp.consent.models import ConsentTemplate, Scope

    defaults.install(Scope, ConsentTemplate)


@pytest.fixture
def scopes(db):
    return list(selectors.active_scopes().values_list("code", flat=True))


@pytest.fixture
def standards(db):
    """datahub's data element dictionary (sensitivity levels drive the masking)."""
    from dfsp.datahub import services as datahub_services

    datahub_services.install_standards()
