"""The pages and the API: regulators see the late queue and urge; institutions reply; others are refused."""

import pytest
from django.urls import reverse

from dfsp.timeliness import services
from dfsp.timeliness.models import Escalation, Urge

pytestmark = pytest.mark.django_db


def test_regulator_urges_through_the_page_and_sees_the_reply(
    client, login, late_application, regulator, loan_officer
):
    login(regulator)
    page = client.get(reverse("timeliness:late")).content.decode()
    assert late_application.enterprise_name in page
    response = client.post(reverse("timeliness:urge", args=[late_application.pk]), {"note": "请尽快受理"})
    assert response.status_code == 302
    urge = Urge.objects.get()

    login(loan_officer)
    assert "请尽快受理" in client.get(reverse("timeliness:urges") + "?open=1").content.decode()
    response = client.post(reverse("timeliness:reply", args=[urge.pk]), {"reply": "已安排专人，今日受理"})
    assert response.status_code == 302

    login(regulator)
    assert "已安排专人，今日受理" in client.get(reverse("timeliness:urges")).content.decode()


def test_empty_note_changes_nothing(client, login, late_application, regulator):
    login(regulator)
    client.post(reverse("timeliness:urge", args=[late_application.pk]), {"note": ""})
    assert not Urge.objects.exists()


def test_pages_refuse_the_wrong_roles(
    client, login, late_application, regulator, certified_admin, loan_officer
):
    login(certified_admin)
    assert client.get(reverse("timeliness:late")).status_code == 403
    assert client.get(reverse("timeliness:urges")).status_code == 403
    assert (
        client.post(reverse("timeliness:urge", args=[late_application.pk]), {"note": "x"}).status_code == 403
    )
    login(loan_officer)
    assert (
        client.post(reverse("timeliness:urge", args=[late_application.pk]), {"note": "x"}).status_code == 403
    )
    assert client.get(reverse("timeliness:supervision")).status_code == 403
    assert not Urge.objects.exists()


def test_other_institution_cannot_reply_through_the_page(
    client, login, late_application, regulator, other_bank_officer
):
    urge = services.urge_application(actor=regulator, application_id=late_application.pk, note="请尽快受理")
    login(other_bank_officer)
    assert client.post(reverse("timeliness:reply", args=[urge.pk]), {"reply": "x"}).status_code == 404
    assert Urge.objects.get().replied_at is None


def test_supervision_page_and_close(client, login, late_application, regulator, operator_user):
    for note in ("一", "二", "三"):
        services.urge_application(actor=regulator, application_id=late_application.pk, note=note)
    item = Escalation.objects.get()
    login(operator_user)
    assert late_application.enterprise_name in client.get(reverse("timeliness:supervision")).content.decode()
    assert client.post(reverse("timeliness:close", args=[item.pk]), {"note": "x"}).status_code == 403
    login(regulator)
    client.post(reverse("timeliness:close", args=[item.pk]), {"note": "已督促办结"})
    item.refresh_from_db()
    assert item.status == "closed"


def test_api_regulator_lists_late_and_urges_institution_lists_and_replies(
    client, login, late_application, regulator, loan_officer, other_bank_officer
):
    login(regulator)
    [row] = client.get("/api/v1/timeliness/late-applications").json()
    assert (
        row["application_id"] == late_application.pk
        and row["working_days_late"] == 2
        and row["step"] == "accept"
    )
    response = client.post(
        f"/api/v1/timeliness/late-applications/{late_application.pk}/urge",
        {"note": "请尽快受理"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["level"] == 1
    urge_id = response.json()["id"]

    login(loan_officer)
    assert client.get("/api/v1/timeliness/late-applications").status_code == 403
    assert [u["id"] for u in client.get("/api/v1/timeliness/urges?open=true").json()] == [urge_id]
    bad = client.post(
        f"/api/v1/timeliness/urges/{urge_id}/reply", {"reply": " "}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "validation_error"
    response = client.post(
        f"/api/v1/timeliness/urges/{urge_id}/reply", {"reply": "今日受理"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["reply"] == "今日受理"
    again = client.post(
        f"/api/v1/timeliness/urges/{urge_id}/reply", {"reply": "x"}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "urge_already_replied"

    login(other_bank_officer)
    assert client.get("/api/v1/timeliness/urges").json() == []
    response = client.post(
        f"/api/v1/timeliness/urges/{urge_id}/reply", {"reply": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/timeliness/late-applications/{late_application.pk}/urge",
        {"note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
