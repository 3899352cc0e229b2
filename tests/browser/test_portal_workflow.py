"""CMS-1 in a real browser: the editor drafts and submits in Wagtail's admin, the reviewer returns it
with a comment, the editor revises and resubmits, the reviewer approves (published), then withdraws."""

import pytest

from dfsp.accounts.tests.factories import PASSWORD, member
from dfsp.portal.models import NoticePage
from dfsp.portal.tests.audit_trail import audited
from dfsp.portal.tests.helpers import section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

TITLE = "关于开展浏览器测试融资对接活动的通知"


def logged_in(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/cms/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/cms/")
    return page


def footer_action(page, name):
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=name, exact=True).click()


def test_draft_return_revise_approve_publish_withdraw(browser, live_server):
    editor_user = member("content_editor", username="browser_editor")
    member(
        "content_reviewer",
        organisation=editor_user.memberships.first().organisation,
        username="browser_reviewer",
    )
    notices = section("notices")
    editor = logged_in(browser, live_server, "browser_editor")
    reviewer = logged_in(browser, live_server, "browser_reviewer")

    # the editor drafts and submits; there is no publish button for them
    editor.goto(f"{live_server.url}/cms/pages/add/portal/noticepage/{notices.pk}/")
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_summary").fill("初稿")
    editor.get_by_role("button", name="更多动作").click()
    assert editor.locator('button[name="action-publish"]').count() == 0
    editor.locator('button[name="action-submit"]').click()
    editor.wait_for_url(f"**/cms/pages/{notices.pk}/")
    notice = NoticePage.objects.get(title=TITLE)
    assert not notice.live

    # the reviewer returns it with a comment
    reviewer.goto(f"{live_server.url}/cms/pages/{notice.pk}/edit/")
    footer_action(reviewer, "请求修改")
    reviewer.locator("#id_comment").fill("请补充活动时间和地点")
    reviewer.locator(".modal").get_by_role("button", name="请求修改").click()
    reviewer.wait_for_url(f"**/cms/pages/{notices.pk}/")
    assert audited(event_type="portal.workflow.rejected", object_id=notice.pk)

    # the editor revises and resubmits
    editor.goto(f"{live_server.url}/cms/pages/{notice.pk}/edit/")
    editor.locator("#id_summary").fill("4月15日在市政务服务中心举行")
    editor.get_by_role("button", name="更多动作").click()
    editor.locator('button[name="action-submit"]').click()
    editor.wait_for_url(f"**/cms/pages/{notices.pk}/")

    # the reviewer approves, which publishes it
    reviewer.goto(f"{live_server.url}/cms/pages/{notice.pk}/edit/")
    footer_action(reviewer, "通过 和发布")  # Wagtail composes "%(label)s and Publish"; "Approve" is ours
    reviewer.wait_for_url(f"**/cms/pages/{notices.pk}/")
    notice = NoticePage.objects.get(pk=notice.pk)
    assert notice.live
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}{notice.url}")
    assert public.get_by_role("heading", name=TITLE).is_visible()
    assert public.get_by_text("4月15日在市政务服务中心举行").is_visible()
    assert notice.revisions.count() >= 2

    # and withdraws it with a reason: the public then gets a 404
    reviewer.goto(f"{live_server.url}/content/{notice.pk}/withdraw/")
    reviewer.locator("#id_reason").fill("活动延期")
    reviewer.locator("main form button[type=submit]").click()
    reviewer.wait_for_url("**/cms/pages/**")
    response = public.goto(f"{live_server.url}{notice.url}")
    assert response.status == 404
    recorded = {event.event_type for event in audited(object_type="page", object_id=notice.pk)}
    assert {"portal.workflow.submitted", "portal.workflow.approved", "portal.page.published"} <= recorded
    assert {"portal.page.unpublished", "portal.page.withdrawn"} <= recorded
