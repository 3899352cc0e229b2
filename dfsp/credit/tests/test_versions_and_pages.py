"""Version lifecycle (activate/retire/derive/edit, audited), pages by role, the API, and the
enterprise's own pre-assessment with its indicative limits."""

import json
import time
import uuid

import pytest
from django.apps import apps
from django.utils.translation import gettext

from dfsp.accounts import api_keys
from dfsp.consent import services as consent_services
from dfsp.consent import signatures
from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.credit import fitting, selectors, services, versions
from dfsp.credit.models import ModelVersion, Score
from dfsp.credit.states import ModelKind, VersionStatus
from dfsp.credit.tests.conftest import good_records

pytestmark = pytest.mark.django_db
AuditEvent = apps.get_model("audit", "AuditEvent")


def test_activating_a_version_retires_the_previous_one_and_is_audited(platform_models, operator_user):
    expert = platform_models[ModelKind.SCORECARD]
    params, validation = fitting.fit_scorecard(fitting.synthetic_history(2000, seed=5), min_count=1000)
    candidate = versions.create_fitted_version(actor=operator_user, params=params, validation=validation)
    assert candidate.status == VersionStatus.DRAFT
    assert selectors.active_version(ModelKind.SCORECARD).pk == expert.pk  # a draft never scores
    versions.activate_version(actor=operator_user, version_id=candidate.pk, note="validated")
    expert.refresh_from_db()
    assert expert.status == VersionStatus.RETIRED
    assert selectors.active_version(ModelKind.SCORECARD).pk == candidate.pk
    assert AuditEvent.objects.filter(
        event_type="credit.version.activated", object_id=str(candidate.pk)
    ).exists()
    assert AuditEvent.objects.filter(event_type="credit.version.retired", object_id=str(expert.pk)).exists()
    with pytest.raises(InvalidTransition):
        versions.activate_version(actor=operator_user, version_id=candidate.pk)  # already active


def test_a_fitted_version_without_validation_cannot_be_activated(platform_models, operator_user):
    params, _validation = fitting.fit_scorecard(fitting.synthetic_history(2000, seed=5), min_count=1000)
    candidate = versions.create_fitted_version(actor=operator_user, params=params, validation={})
    with pytest.raises(ValidationFailed) as refused:
        versions.activate_version(actor=operator_user, version_id=candidate.pk)
    assert refused.value.code == "credit_not_validated"
    candidate.refresh_from_db()
    assert candidate.status == VersionStatus.DRAFT


def test_only_operators_manage_platform_versions(platform_models, institution_admin, loan_officer, regulator):
    version = platform_models[ModelKind.LIMIT]
    with pytest.raises(AccessDenied):
        versions.retire_version(actor=institution_admin, version_id=version.pk)
    with pytest.raises(AccessDenied):
        versions.retire_version(actor=regulator, version_id=version.pk)
    with pytest.raises(AccessDenied):
        selectors.get_version_for(actor=loan_officer, version_id=version.pk)
    with pytest.raises(AccessDenied):
        versions.fit_candidate(actor=institution_admin, data=fitting.synthetic_history(600, seed=1))
    assert ModelVersion.objects.get(pk=version.pk).status == VersionStatus.ACTIVE


def test_an_institutions_versions_are_its_own(platform_models, bank_admin, institution_admin):
    own = versions.derive_version(actor=bank_admin, model_id=platform_models[ModelKind.ANTI_FRAUD].model_id)
    assert own.owner is not None and own.derived_from_id == platform_models[ModelKind.ANTI_FRAUD].pk
    versions.update_params(
        actor=bank_admin, version_id=own.pk, changes={"rules": {"watchlist": {"weight": 60}}}
    )
    with pytest.raises(NotFound):  # another institution's admin does not even see it
        versions.update_params(actor=institution_admin, version_id=own.pk, changes={"rules": {}})
    versions.activate_version(actor=bank_admin, version_id=own.pk)
    with pytest.raises(Conflict) as frozen:
        versions.update_params(
            actor=bank_admin, version_id=own.pk, changes={"rules": {"watchlist": {"weight": 10}}}
        )
    assert frozen.value.code == "credit_version_frozen"
    assert ModelVersion.objects.get(pk=own.pk).params["rules"]["watchlist"]["weight"] == 60
    assert selectors.active_version(ModelKind.ANTI_FRAUD).owner is None  # platform unchanged


def test_the_enterprise_pre_assessment_needs_explicit_confirmation_and_reads_own_data(
    credit_data, platform_models, enterprise, enterprise_admin, product
):
    credit_data.set(enterprise.uscc, good_records())
    with pytest.raises(ValidationFailed) as refused:
        services.self_assess(actor=enterprise_admin, confirmed=False)
    assert refused.value.code == "credit_confirmation_required"
    assert not Score.objects.exists()
    assessment = services.self_assess(actor=enterprise_admin, confirmed=True)
    assert assessment.grade == "AA"
    assert selectors.latest_self_grades([enterprise.uscc, "91230600MA1XXXXXX0"]) == {enterprise.uscc: "AA"}
    assert Score.objects.filter(self_assessment=True).count() == 3


def test_an_uncertified_enterprise_cannot_pre_assess(credit_data, platform_models, other_enterprise_admin):
    with pytest.raises(AccessDenied):
        services.self_assess(actor=other_enterprise_admin, confirmed=True)


def test_institution_scores_never_count_as_self_grades(
    credit_data, platform_models, enterprise, grant, loan_officer
):
    credit_data.set(enterprise.uscc, good_records())
    grant()
    services.assess(actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1")
    assert selectors.latest_self_grades([enterprise.uscc]) == {}


# --- Pages -------------------------------------------------------------------------------------


def test_pre_assessment_page_shows_consent_unticked_then_grade_tips_and_offers(
    client, login, credit_data, platform_models, enterprise, enterprise_admin, product
):
    credit_data.set(enterprise.uscc, good_records(tax_grade="C"))
    login(enterprise_admin)
    page = client.get("/credit/pre-assessment/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        'id="consent-text"' in html
        and "checked" not in html.split('id="self-assessment-form"')[1].split("</form>")[0]
    )
    refused = client.post("/credit/pre-assessment/", {})
    assert refused.status_code == 200 and not Score.objects.exists()
    done = client.post("/credit/pre-assessment/", {"confirmed": "on"}, follow=True)
    html = done.content.decode()
    assert 'id="improvement-tips"' in html  # tax grade C is a negative factor with a tip
    assert product.name in html and 'id="offers-table"' in html


def test_other_roles_cannot_open_the_pre_assessment_page(client, login, loan_officer):
    login(loan_officer)
    assert client.get("/credit/pre-assessment/").status_code == 403


def test_operator_pages_fit_activate_and_recompute(
    client, login, credit_data, platform_models, operator_user, enterprise, grant, loan_officer
):
    login(operator_user)
    assert client.get("/credit/").status_code == 200
    response = client.post("/credit/models/fit/", {"source": "synthetic", "rows": 2000, "seed": 3})
    candidate = ModelVersion.objects.get(method="fitted")
    assert response.status_code == 302 and response.url == f"/credit/versions/{candidate.pk}/"
    page = client.get(response.url).content.decode()
    assert 'id="val-auc"' in page and 'data-chart="calibration-chart"' in page
    assert 'id="val-compared"' in page  # the active expert version on the same hold-out
    client.post(f"/credit/versions/{candidate.pk}/activate/", {"note": "ok"})
    assert ModelVersion.objects.get(pk=candidate.pk).status == VersionStatus.ACTIVE
    bad = client.post("/credit/models/fit/", {"source": "upload"})
    assert bad.status_code == 302 and ModelVersion.objects.filter(method="fitted").count() == 1
    credit_data.set(enterprise.uscc, good_records())
    grant()
    assessment = services.assess(
        actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1"
    )
    assert client.get(f"/credit/scores/{assessment.score_ids[0]}/").status_code == 200
    recomputed = client.post(f"/credit/scores/{assessment.score_ids[0]}/recompute/", follow=True)
    assert recomputed.status_code == 200


def test_an_institution_admin_edits_its_own_version_within_bounds(client, login, platform_models, bank_admin):
    login(bank_admin)
    model_id = platform_models[ModelKind.SCORECARD].model_id
    created = client.post(f"/credit/models/{model_id}/derive/", {"note": "本行标准"})
    version = ModelVersion.objects.get(owner__isnull=False)
    assert created.url == f"/credit/versions/{version.pk}/"
    cutoffs = {
        f"cutoff_{g}": v
        for g, v in zip(
            ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC"],
            [700, 720, 660, 620, 580, 540, 500, 460],
            strict=True,
        )
    }
    bad = client.post(f"/credit/versions/{version.pk}/edit/", cutoffs)
    assert (
        bad.status_code == 200
        and ModelVersion.objects.get(pk=version.pk).params["grades"][0]["min_score"] == 740
    )
    cutoffs["cutoff_AAA"] = 760
    assert client.post(f"/credit/versions/{version.pk}/edit/", cutoffs).status_code == 302
    assert ModelVersion.objects.get(pk=version.pk).params["grades"][0]["min_score"] == 760


def test_a_loan_officer_sees_only_its_institutions_scores(
    client, login, credit_data, platform_models, enterprise, grant, loan_officer, other_officer
):
    credit_data.set(enterprise.uscc, good_records())
    grant()
    assessment = services.assess(
        actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1"
    )
    login(other_officer)
    assert client.get(f"/credit/scores/{assessment.score_ids[0]}/").status_code == 404
    listing = client.get("/credit/scores/").content.decode()
    assert f"/credit/scores/{assessment.score_ids[0]}/" not in listing, listing[
        listing.find(f"/credit/scores/{assessment.score_ids[0]}/") - 300 :
    ][:600]
    assert gettext("No scores.") in listing
    assert client.get("/credit/").status_code == 403


# --- API -------------------------------------------------------------------------------------


@pytest.fixture
def key(bank_admin):
    api_key, raw = api_keys.create_api_key(actor=bank_admin, name="信贷系统")
    secret = bytes.fromhex(consent_services.issue_signing_secret(actor=bank_admin, api_key=api_key))
    return raw, secret


def call(client, key, method, path, payload=None):
    raw, secret = key
    body = json.dumps(payload).encode() if payload is not None else b""
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
    headers = {
        "Authorization": f"Bearer {raw}",
        "X-DFSP-Timestamp": timestamp,
        "X-DFSP-Nonce": nonce,
        "X-DFSP-Signature": signatures.sign(secret, method, path, timestamp, nonce, body),
    }
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, body, content_type="application/json", headers=headers)


def test_api_scores_under_a_grant_and_reads_the_explanation(
    client, key, credit_data, platform_models, enterprise, grant
):
    credit_data.set(enterprise.uscc, good_records())
    payload = {"uscc": enterprise.uscc, "purpose_type": "application", "purpose_id": "A-1"}
    refused = call(client, key, "POST", "/api/v1/credit/assessments", payload)
    assert refused.status_code == 403 and refused.json()["code"] == "consent_no_grant"
    grant()
    created = call(client, key, "POST", "/api/v1/credit/assessments", payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["score"] == 715 and body["grade"] == "AA"
    assert body["base"] + sum(r["points"] for r in body["reasons"]) == body["score"]
    score = call(client, key, "GET", f"/api/v1/credit/scores/{body['score_ids'][0]}")
    assert score.status_code == 200 and len(score.json()["explanation"]["reasons"]) == 13
    assert call(client, key, "GET", "/api/v1/credit/scores/999999").status_code == 404


def test_api_with_no_active_model_is_409(
    client, key, credit_data, platform_models, enterprise, grant, operator_user
):
    grant()
    versions.retire_version(actor=operator_user, version_id=platform_models[ModelKind.LIMIT].pk)
    payload = {"uscc": enterprise.uscc, "purpose_type": "application", "purpose_id": "A-1"}
    response = call(client, key, "POST", "/api/v1/credit/assessments", payload)
    assert response.status_code == 409 and response.json()["code"] == "credit_model_inactive"


def test_the_assessment_partial_renders_for_the_financing_review_page(
    credit_data, platform_models, enterprise, grant, loan_officer
):
    from django.template.loader import render_to_string

    credit_data.set(enterprise.uscc, good_records(tax_grade="C"))
    grant()
    assessment = services.assess(
        actor=loan_officer,
        uscc=enterprise.uscc,
        purpose_type="application",
        purpose_id="A-1",
        platform_history={"recent_applications": 5},
    )
    html = render_to_string("credit/_assessment.html", {"assessment": assessment})
    assert f">{assessment.grade}<" in html and f">{assessment.score}<" in html
    assert 'data-direction="down"' in html and "credit-fraud-rules" in html
    assert html.count("<li>") == len(assessment.limit_derivation)


def test_a_labelled_csv_upload_fits_and_a_bad_one_changes_nothing(
    client, login, platform_models, operator_user
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(operator_user)
    good = fitting.synthetic_history(1500, seed=4).write_csv().encode()
    response = client.post(
        "/credit/models/fit/", {"source": "upload", "dataset": SimpleUploadedFile("history.csv", good)}
    )
    assert response.status_code == 302 and ModelVersion.objects.filter(method="fitted").count() == 1
    no_label = fitting.synthetic_history(1500, seed=4).drop("bad").write_csv().encode()
    refused = client.post(
        "/credit/models/fit/",
        {"source": "upload", "dataset": SimpleUploadedFile("history.csv", no_label)},
        follow=True,
    )
    assert "credit_bad_dataset" in refused.content.decode()
    garbage = client.post(
        "/credit/models/fit/",
        {"source": "upload", "dataset": SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage")},
        follow=True,
    )
    assert garbage.status_code == 200 and "credit_bad_dataset" in garbage.content.decode()
    assert ModelVersion.objects.filter(method="fitted").count() == 1


def test_an_institution_admin_cannot_activate_or_edit_platform_versions_through_pages(
    client, login, platform_models, bank_admin
):
    login(bank_admin)
    version = platform_models[ModelKind.SCORECARD]
    assert client.post(f"/credit/versions/{version.pk}/retire/").status_code == 403
    edit = client.get(f"/credit/versions/{version.pk}/edit/")
    assert edit.status_code == 302  # back to the version page with a message
    assert ModelVersion.objects.get(pk=version.pk).status == VersionStatus.ACTIVE
    assert client.get(f"/credit/versions/{version.pk}/").status_code == 200  # may read it


def test_api_rejects_malformed_requests_and_non_institutions(client, key, platform_models, enterprise):
    bad = call(
        client, key, "POST", "/api/v1/credit/assessments", {"uscc": "123", "purpose_type": "application"}
    )
    assert bad.status_code in (400, 422)
    wrong_purpose = call(
        client,
        key,
        "POST",
        "/api/v1/credit/assessments",
        {"uscc": enterprise.uscc, "purpose_type": "shopping", "purpose_id": "X"},
    )
    assert wrong_purpose.status_code in (400, 422)
    assert not Score.objects.exists()


def test_the_database_refuses_two_active_versions_of_one_model_and_owner(platform_models):
    from django.db import IntegrityError, transaction

    active = platform_models[ModelKind.SCORECARD]
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.create(
            model=active.model, number=99, status=VersionStatus.ACTIVE, method="expert", params=active.params
        )
