"""Loans through the pages and the API (API key, Idempotency-Key, coded errors, scoping)."""

import pytest
from django.test import Client
from django.urls import reverse

from dfsp.accounts import api_keys
from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.loans.models import Loan, Repayment
from dfsp.loans.tests.conftest import loan_terms

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = loan_terms(**overrides)
    data["start_date"] = data["start_date"].isoformat()
    return data


@pytest.fixture
def at(time_machine):
    time_machine.move_to("2026-02-20 10:00 +08:00", tick=False)


def test_officer_disburses_enterprise_sees_schedule_officer_records_repayment(
    client, login, approved, loan_officer, certified_admin, at
):
    application = approved()
    login(loan_officer)
    page = client.get(reverse("loans:disburse", args=[application.pk]))
    assert page.status_code == 200 and "500,000.00" in page.content.decode()
    response = client.post(reverse("loans:disburse", args=[application.pk]), form())
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("loans:detail", args=[loan.pk])
    # a second visit goes to the loan instead of offering a second disbursement
    assert client.get(reverse("loans:disburse", args=[application.pk])).status_code == 302
    assert "ICBC-DQ-2026-0001" in client.get(reverse("loans:list")).content.decode()

    login(certified_admin)
    mine = client.get(reverse("loans:mine")).content.decode()
    assert "ICBC-DQ-2026-0001" in mine and "2026-02-20" in mine
    detail = client.get(reverse("loans:detail", args=[loan.pk])).content.decode()
    assert "2027-01-20" in detail and "Record a repayment" not in detail
    assert client.get(reverse("loans:repay", args=[loan.pk])).status_code == 403

    login(loan_officer)
    response = client.post(
        reverse("loans:repay", args=[loan.pk]), {"amount": "10600", "paid_on": "2026-02-20"}
    )
    assert response.status_code == 302
    assert Repayment.objects.get().amount == 10600


def test_bad_page_input_is_a_field_error_and_nothing_changes(client, login, approved, loan_officer, at):
    application = approved()
    login(loan_officer)
    response = client.post(reverse("loans:disburse", args=[application.pk]), form(amount="900000"))
    assert response.status_code == 200 and "amount" in response.context["form"].errors
    response = client.post(reverse("loans:disburse", args=[application.pk]), form(amount="abc"))
    assert response.status_code == 200 and "amount" in response.context["form"].errors
    assert not Loan.objects.exists()


def test_pages_refuse_the_wrong_people(client, login, loan, other_officer, other_enterprise_admin, regulator):
    login(other_officer)
    assert client.get(reverse("loans:detail", args=[loan.pk])).status_code == 404
    assert client.get(reverse("loans:repay", args=[loan.pk])).status_code == 404
    assert client.get(reverse("loans:disburse", args=[loan.application_id])).status_code == 404
    assert "ICBC-DQ" not in client.get(reverse("loans:list")).content.decode()
    login(other_enterprise_admin)
    assert client.get(reverse("loans:detail", args=[loan.pk])).status_code == 404
    assert client.get(reverse("loans:list")).status_code == 403
    assert "ICBC-DQ" not in client.get(reverse("loans:mine")).content.decode()
    login(regulator)
    assert client.get(reverse("loans:detail", args=[loan.pk])).status_code == 200
    assert client.get(reverse("loans:repay", args=[loan.pk])).status_code == 403


@pytest.fixture
def bank_key(loan_officer):
    admin = member("institution_admin", organisation=organisation_of(loan_officer))
    _key, raw = api_keys.create_api_key(actor=admin, name="信贷系统")
    return raw


def test_api_disbursement_is_idempotent_and_a_second_push_is_409(approved, bank_key, at):
    application = approved()
    machine = Client()
    headers = {"Authorization": f"Bearer {bank_key}", "Idempotency-Key": "loan-1"}
    body = {**form(), "application_id": application.pk, "amount": "120000", "annual_rate": "6"}
    first = machine.post(
        "/api/v1/loans/disbursements", body, content_type="application/json", headers=headers
    )
    assert first.status_code == 201, first.content
    assert len(first.json()["instalments"]) == 12
    replay = machine.post(
        "/api/v1/loans/disbursements", body, content_type="application/json", headers=headers
    )
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    again = machine.post(
        "/api/v1/loans/disbursements",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {bank_key}"},
    )
    assert again.status_code == 409 and again.json()["code"] == "loan_already_disbursed"
    assert Loan.objects.get().channel == "api"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"amount": "600000"}, "amount_exceeds_approved"),
        ({"amount": "-3"}, "loan_terms_invalid"),
        ({"amount": "lots"}, "loan_terms_invalid"),
    ],
)
def test_api_bad_amounts_are_400_with_a_code(approved, bank_key, at, overrides, code):
    application = approved()
    body = {**form(), "application_id": application.pk, **overrides}
    response = Client().post(
        "/api/v1/loans/disbursements",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {bank_key}"},
    )
    assert response.status_code == 400 and response.json()["code"] == code
    assert not Loan.objects.exists()


def test_api_repayments_with_a_key_are_recorded_once_and_errors_are_coded(loan, bank_key, time_machine):
    time_machine.move_to("2026-02-20 10:00 +08:00", tick=False)
    machine = Client()
    url = f"/api/v1/loans/{loan.pk}/repayments"
    headers = {"Authorization": f"Bearer {bank_key}", "Idempotency-Key": "rp-1"}
    body = {"amount": "10600", "paid_on": "2026-02-20"}
    first = machine.post(url, body, content_type="application/json", headers=headers)
    assert first.status_code == 201, first.content
    assert [a["component"] for a in first.json()["allocations"]] == ["interest", "principal"]
    machine.post(url, body, content_type="application/json", headers=headers)
    assert Repayment.objects.count() == 1
    plain = {"Authorization": f"Bearer {bank_key}"}
    early = machine.post(
        url, {"amount": "1", "paid_on": "2026-01-01"}, content_type="application/json", headers=plain
    )
    assert early.status_code == 400 and early.json()["code"] == "repayment_before_disbursement"
    too_much = machine.post(
        url, {"amount": "1e9", "paid_on": "2026-02-20"}, content_type="application/json", headers=plain
    )
    assert too_much.status_code == 400 and too_much.json()["code"] == "amount_exceeds_outstanding"
    listed = machine.get("/api/v1/loans", headers=plain).json()
    assert listed["count"] == 1 and listed["items"][0]["outstanding_principal"] == "110000.00"
    other_admin = member("institution_admin")
    _key, other = api_keys.create_api_key(actor=other_admin, name="另一家")
    assert (
        machine.get(f"/api/v1/loans/{loan.pk}", headers={"Authorization": f"Bearer {other}"}).status_code
        == 404
    )
    assert (
        machine.post(
            url, body, content_type="application/json", headers={"Authorization": f"Bearer {other}"}
        ).status_code
        == 404
    )
