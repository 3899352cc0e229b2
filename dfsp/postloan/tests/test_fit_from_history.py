# ruff: noqa: F811  (fixtures imported from the credit tests are used as fixture parameters)
"""Fitting the scorecard from the platform's own loan outcomes (#6.3): the labelled history, the
not-enough-history refusal, a fitted candidate, and who may do it."""

from datetime import date

import polars as pl
import pytest
from django.urls import reverse

from dfsp.audit import selectors as audit_selectors
from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.credit import selectors as credit_selectors
from dfsp.credit import services as credit_services
from dfsp.credit.fitting import CANDIDATES, synthetic_history
from dfsp.credit.tests.conftest import credit_data, good_records  # noqa: F401  (fixture)
from dfsp.loans import services as loan_services
from dfsp.loans.tests.conftest import loan_terms
from dfsp.postloan.services import fitting

AS_OF = date(2026, 6, 1)  # loans disbursed by 2025-12-01 or settled or bad are observable


def _disburse(officer, application, number, start):
    return loan_services.disburse_loan(
        actor=officer,
        application_id=application.pk,
        **loan_terms(contract_number=f"ICBC-DQ-2026-{number:04d}", start_date=start),
    )


def _assess(officer, application):
    return credit_services.assess(
        actor=officer,
        uscc=application.uscc,
        purpose_type="application",
        purpose_id=str(application.pk),
        product=application.product,
    )


@pytest.fixture
def history(approved, loan_officer, enterprise, credit_data, time_machine):
    """Loan 1 (scored) reaches 35 days past due; loan 2 (scored) is settled; loan 3 is recent
    and was never scored."""
    credit_data.set(enterprise.uscc, good_records())
    time_machine.move_to("2026-01-10 10:00 +08:00", tick=False)
    first = approved()
    _assess(loan_officer, first)
    bad = _disburse(loan_officer, first, 1, date(2026, 1, 10))
    second = approved()
    _assess(loan_officer, second)
    good = _disburse(loan_officer, second, 2, date(2026, 1, 10))
    time_machine.move_to("2026-02-20 10:00 +08:00", tick=False)
    loan_services.record_repayment(actor=loan_officer, loan_id=good.pk, amount="10600", paid_on="2026-02-20")
    time_machine.move_to("2026-03-05 10:00 +08:00", tick=False)
    loan_services.record_repayment(actor=loan_officer, loan_id=good.pk, amount="110000", paid_on="2026-03-05")
    time_machine.move_to("2026-03-27 10:00 +08:00", tick=False)
    loan_services.run_overdue_job(today=date(2026, 3, 27))
    recent = _disburse(loan_officer, approved(), 3, date(2026, 3, 27))
    return {"bad": bad, "good": good, "recent": recent}


def _fitted_events(auditor):
    return list(
        audit_selectors.search_events(
            actor=auditor, filters=audit_selectors.EventFilters(event_type="postloan.scorecard.fitted")
        )
    )


def _versions(operator):
    return credit_selectors.versions_for(actor=operator).count()


def test_labelled_history_labels_loans_from_their_worst_delay(history, operator_user):
    frame = fitting.labelled_history(actor=operator_user, as_of=AS_OF)
    assert set(CANDIDATES) <= set(frame.columns) and "bad" in frame.columns
    labels = dict(zip(frame["loan_id"].to_list(), frame["bad"].to_list(), strict=True))
    assert labels == {history["bad"].pk: 1, history["good"].pk: 0}  # the recent loan is not observable
    row = frame.filter(pl.col("loan_id") == history["good"].pk).row(0, named=True)
    assert row["tax_grade"] == "A" and row["years_in_business"] > 5 and row["observed_at"] == "2026-01"


def test_summary_counts_observable_loans_that_were_never_scored(history, operator_user):
    summary = fitting.history_summary(actor=operator_user, as_of=date(2026, 10, 1))
    assert summary["loans"] == 3 and summary["observable"] == 3 and summary["unscored"] == 1
    assert (summary["labelled"], summary["bad"], summary["good"]) == (2, 1, 1)
    assert summary["needed"] == 500


def test_a_loan_at_29_days_is_not_bad(
    approved, loan_officer, enterprise, credit_data, operator_user, time_machine
):
    credit_data.set(enterprise.uscc, good_records())
    time_machine.move_to("2026-01-10 10:00 +08:00", tick=False)
    application = approved()
    _assess(loan_officer, application)
    loan = _disburse(loan_officer, application, 7, date(2026, 1, 10))
    time_machine.move_to("2026-03-21 10:00 +08:00", tick=False)
    loan_services.run_overdue_job(today=date(2026, 3, 21))  # due 2026-02-20: 29 days past due
    frame = fitting.labelled_history(actor=operator_user, as_of=date(2026, 9, 1))
    assert frame["loan_id"].to_list() == [loan.pk] and frame["bad"].to_list() == [0]
    assert fitting.labelled_history(actor=operator_user, as_of=date(2026, 6, 1)).is_empty()


def test_not_enough_history_is_refused_and_nothing_is_created(history, operator_user, audit_admin):
    before = _versions(operator_user)
    with pytest.raises(ValidationFailed) as caught:
        fitting.fit_scorecard_from_history(actor=operator_user, as_of=AS_OF)
    assert caught.value.code == "credit_not_enough_history"
    assert "2" in str(caught.value.message) and "500" in str(caught.value.message)
    assert _versions(operator_user) == before
    assert _fitted_events(audit_admin) == []


def test_one_class_only_is_refused_even_above_the_minimum(history, operator_user, settings):
    settings.CREDIT_FIT_MIN_SAMPLES = 1
    with pytest.raises(ValidationFailed) as caught:
        fitting.fit_scorecard_from_history(actor=operator_user, as_of=date(2026, 3, 1))  # only the bad loan
    assert caught.value.code == "credit_not_enough_history"


@pytest.fixture
def enlarged(monkeypatch, settings):
    """The real labelled loans plus a synthetic book with a known signal, minimum lowered to 200."""
    settings.CREDIT_FIT_MIN_SAMPLES = 200
    real = fitting._collect

    def _collect(*, actor, as_of):
        frame, counts = real(actor=actor, as_of=as_of)
        extra = synthetic_history(400, seed=11, bad_rate=0.15)
        extra = extra.select([c for c in frame.columns if c in extra.columns])
        frame = pl.concat([frame, extra], how="diagonal_relaxed")
        bads = int(frame["bad"].sum())
        counts.update(labelled=len(frame), bad=bads, good=len(frame) - bads)
        return frame, counts

    monkeypatch.setattr(fitting, "_collect", _collect)


def test_enough_history_fits_a_draft_candidate_with_validation(history, enlarged, operator_user, audit_admin):
    before = _versions(operator_user)
    version = fitting.fit_scorecard_from_history(actor=operator_user, as_of=AS_OF)
    assert _versions(operator_user) == before + 1
    assert version.method == "fitted" and version.status == "draft" and version.owner_id is None
    assert version.validation["auc"] > 0.5 and version.validation["holdout_count"] > 0
    assert version.validation["recent_count"] > 0
    [event] = _fitted_events(audit_admin)
    assert event.object_id == str(version.pk) and event.details["labelled"] == 402


def test_only_operators_may_fit_or_read_the_history(history, loan_officer, regulator, enterprise_admin):
    for actor in (loan_officer, regulator, enterprise_admin):
        with pytest.raises(AccessDenied):
            fitting.fit_scorecard_from_history(actor=actor)
        with pytest.raises(AccessDenied):
            fitting.labelled_history(actor=actor)


# --- the page -------------------------------------------------------------------------------------


URL = "/postloan/fit/"


def test_page_shows_the_counts_and_needed_minimum(history, operator_user, client, login):
    assert reverse("postloan:fit_from_history") == URL
    login(operator_user)
    response = client.get(URL)
    assert response.status_code == 200
    counts = response.context["summary"]
    assert counts["labelled"] >= 2 and counts["needed"] == 500
    assert b"history-counts" in response.content


def test_page_post_without_enough_history_shows_why_and_changes_nothing(
    history, operator_user, client, login
):
    before = _versions(operator_user)
    login(operator_user)
    response = client.post(URL)
    assert response.status_code == 200
    assert response.context["error"] and "500" in response.context["error"]
    assert _versions(operator_user) == before


def test_page_post_with_enough_history_redirects_to_the_candidate(
    history, enlarged, operator_user, client, login
):
    login(operator_user)
    response = client.post(URL)
    assert response.status_code == 302
    version = credit_selectors.versions_for(actor=operator_user).order_by("-pk").first()
    assert response.url == reverse("credit:version_detail", kwargs={"version_id": version.pk})
    assert version.method == "fitted"


@pytest.mark.parametrize("persona", ["loan_officer", "regulator", "enterprise_admin"])
def test_page_is_forbidden_to_others(persona, request, client, login, operator_user):
    before = _versions(operator_user)
    login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert _versions(operator_user) == before


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url
