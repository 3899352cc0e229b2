"""CMS-1: draft → submit → return → revise → approve → publish → withdraw, through the services
(the same Wagtail actions the admin buttons run) and with every step in the audit trail."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import Page

from dfsp.core.errors import AccessDenied, NotFound, ValidationFailed
from dfsp.portal import selectors, services, tasks
from dfsp.portal.models import NoticePage
from dfsp.portal.tests.audit_trail import audited
from dfsp.portal.tests.helpers import draft_notice, published

pytestmark = pytest.mark.django_db


def events(page):
    return [event.event_type for event in audited(object_type="page", object_id=page.pk)]


def test_editors_cannot_publish_without_review(editor):
    services.sync_cms_groups(user=editor)
    page = draft_notice(editor=editor)
    assert not page.permissions_for_user(editor).can_publish()
    services.submit_for_review(editor=editor, page=page)
    with pytest.raises(AccessDenied):
        services.approve_page(reviewer=editor, page=page)
    assert not Page.objects.get(pk=page.pk).live


def test_full_review_cycle_is_audited_and_keeps_revisions(client, editor, reviewer):
    # given a draft submitted for review
    page = draft_notice(editor=editor)
    services.submit_for_review(editor=editor, page=page)
    # when the reviewer returns it, a comment is required and the page stays unpublished
    with pytest.raises(ValidationFailed):
        services.return_page(reviewer=reviewer, page=page, comment=" ")
    services.return_page(reviewer=reviewer, page=page, comment="请补充活动时间")
    assert client.get("/notices/matchmaking/").status_code == 404
    # the editor revises and resubmits; the reviewer approves
    services.save_draft(editor=editor, page=page, body="<p>4月15日举行</p>")
    services.submit_for_review(editor=editor, page=page)
    page = services.approve_page(reviewer=reviewer, page=page, comment="同意")
    # then it is public, with its revisions kept and comparable
    assert page.live
    response = client.get("/notices/matchmaking/")
    assert response.status_code == 200 and "4月15日举行" in response.content.decode()
    assert page.revisions.count() >= 2
    # and withdrawal needs a reason, hides the page everywhere, and is audited with the reason
    with pytest.raises(ValidationFailed):
        services.withdraw_page(actor=reviewer, page=page, reason="")
    services.withdraw_page(actor=reviewer, page=page, reason="活动延期")
    assert client.get("/notices/matchmaking/").status_code == 404
    assert selectors.search_content("融资对接") == []
    recorded = events(page)
    for expected in (
        "portal.workflow.submitted",
        "portal.workflow.rejected",
        "portal.workflow.approved",
        "portal.page.published",
        "portal.page.unpublished",
        "portal.page.withdrawn",
    ):
        assert expected in recorded
    (withdrawn,) = audited(event_type="portal.page.withdrawn", object_id=page.pk)
    assert withdrawn.details["reason"] == "活动延期"


def test_only_reviewers_withdraw_and_only_live_pages(editor, reviewer):
    page = draft_notice(editor=editor)
    with pytest.raises(AccessDenied):
        services.withdraw_page(actor=editor, page=page, reason="x")
    with pytest.raises(NotFound):
        services.withdraw_page(actor=reviewer, page=page, reason="x")


def test_scheduled_publishing_waits_for_go_live_at(client, editor, reviewer):
    go_live = timezone.now() + timedelta(days=2)
    with time_machine.travel(timezone.now(), tick=False):
        page = draft_notice(editor=editor)
        services.save_draft(editor=editor, page=page, go_live_at=go_live)
        services.submit_for_review(editor=editor, page=page)
        services.approve_page(reviewer=reviewer, page=page)
        tasks.publish_scheduled()
        assert not NoticePage.objects.get(pk=page.pk).live
        assert client.get("/notices/matchmaking/").status_code == 404
    with time_machine.travel(go_live + timedelta(minutes=1), tick=False):
        tasks.publish_scheduled()
    assert NoticePage.objects.get(pk=page.pk).live
    assert client.get("/notices/matchmaking/").status_code == 200
    assert "portal.page.published" in events(page)


def test_withdraw_page_view_needs_reviewer_role(client, login, editor, reviewer):
    page = published(draft_notice(editor=editor))
    url = f"/content/{page.pk}/withdraw/"
    login(editor)
    assert client.post(url, {"reason": "x"}).status_code == 403
    login(reviewer)
    assert client.post(url, {"reason": "过期"}).status_code == 302
    assert not NoticePage.objects.get(pk=page.pk).live


def test_cms_groups_follow_platform_roles(editor, reviewer, operator_user, enterprise_admin):
    for user in (editor, reviewer, operator_user):
        services.sync_cms_groups(user=user)
    assert set(editor.groups.values_list("name", flat=True)) == {services.EDITORS_GROUP}
    assert set(reviewer.groups.values_list("name", flat=True)) == {services.REVIEWERS_GROUP}
    assert set(operator_user.groups.values_list("name", flat=True)) == {services.REVIEWERS_GROUP}
    editor.memberships.update(role="enterprise_admin")
    editor.forget_cached_roles()
    services.sync_cms_groups(user=editor)
    assert not editor.groups.exists()
