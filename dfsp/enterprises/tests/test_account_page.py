"""My enterprise: details, certification history, members management for the enterprise admin."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member

pytestmark = pytest.mark.django_db


def test_admin_adds_a_member_with_a_one_time_password_and_disables_them(client, login, enterprise_admin):
    login(enterprise_admin)
    response = client.post(
        reverse("enterprises:member_add"),
        {"username": "staff1", "full_name": "李秀兰", "mobile": "13804590102", "role": "enterprise_user"},
    )
    assert response.status_code == 200
    staff = response.context["member"]
    assert escape(response.context["password"]) in response.content.decode()
    assert staff.must_change_password and organisation_of(staff) == organisation_of(enterprise_admin)
    page = client.get(reverse("enterprises:account"))
    assert "staff1" in page.content.decode()
    client.post(reverse("enterprises:member_toggle", args=[staff.pk]))
    staff.refresh_from_db()
    assert not staff.is_active
    client.post(reverse("enterprises:member_toggle", args=[staff.pk]))
    staff.refresh_from_db()
    assert staff.is_active


def test_members_of_another_enterprise_are_out_of_reach(
    client, login, enterprise_admin, other_enterprise_admin
):
    outsider = member("enterprise_user", organisation=organisation_of(other_enterprise_admin))
    login(enterprise_admin)
    assert client.post(reverse("enterprises:member_toggle", args=[outsider.pk])).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active
    assert "other_ent_admin_t" not in client.get(reverse("enterprises:account")).content.decode()


def test_enterprise_staff_see_the_page_but_cannot_manage_members(client, login, enterprise_admin):
    staff = member("enterprise_user", organisation=organisation_of(enterprise_admin))
    login(staff)
    assert client.get(reverse("enterprises:account")).status_code == 200
    assert client.get(reverse("enterprises:member_add")).status_code == 403
    assert client.get(reverse("enterprises:certification")).status_code == 403
