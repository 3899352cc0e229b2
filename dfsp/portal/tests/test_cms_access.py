"""Only content staff enter the Wagtail admin, through the platform login; CSP relaxed only there."""

import pytest

pytestmark = pytest.mark.django_db

CMS_PATHS = ["/cms/", "/cms/pages/", "/cms/login/", "/cms/documents/", "/cms/users/"]


@pytest.mark.parametrize("path", CMS_PATHS)
def test_anonymous_visitors_go_to_the_platform_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_roles_without_content_duties_are_refused(client, login, enterprise_admin, loan_officer, regulator):
    for user in (enterprise_admin, loan_officer, regulator):
        login(user)
        assert client.get("/cms/").status_code == 403


def test_editors_enter_in_chinese_with_a_relaxed_csp_only_there(client, login, editor):
    login(editor)
    response = client.get("/cms/")
    assert response.status_code == 200
    assert "unsafe-inline" in response["Content-Security-Policy"]
    assert 'lang="zh-hans"' in response.content.decode()
    assert "unsafe-inline" not in client.get("/").get("Content-Security-Policy")


def test_editors_cannot_manage_users_in_the_cms(client, login, editor):
    login(editor)
    assert client.get("/cms/users/").status_code in (302, 403)


def test_unpublishing_in_the_cms_asks_for_a_reason(client, login, reviewer):
    from dfsp.portal.tests.helpers import draft_notice, published

    page = published(draft_notice(editor=reviewer))
    login(reviewer)
    response = client.post(f"/cms/pages/{page.pk}/unpublish/")
    assert response.status_code == 302 and response["Location"] == f"/content/{page.pk}/withdraw/"
    page.refresh_from_db()
    assert page.live
