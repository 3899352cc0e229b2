"""What the public sees: only live content, sanitised, searchable in Chinese, filtered policies."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.portal import selectors
from dfsp.portal.models import PolicyAttachment
from dfsp.portal.templatetags.portal_tags import clean_richtext, highlight
from dfsp.portal.tests.helpers import draft_notice, policy, published

pytestmark = pytest.mark.django_db


def test_drafts_are_never_served_or_found(client, editor):
    draft_notice(editor=editor, title="内部草稿通知", slug="secret-draft")
    assert client.get("/notices/secret-draft/").status_code == 404
    assert selectors.search_content("内部草稿") == []
    assert "内部草稿通知" not in client.get("/notices/").content.decode()
    assert "内部草稿通知" not in client.get("/search/?q=内部草稿").content.decode()
    assert "内部草稿通知" not in client.get("/").content.decode()


def test_chinese_search_finds_a_word_inside_a_sentence_and_highlights_it(client, editor):
    published(draft_notice(editor=editor, title="关于开展政银企融资对接活动的通知", slug="match"))
    response = client.get("/search/", {"q": "融资对接"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>融资对接</mark>" in body


def test_highlight_escapes_before_marking():
    assert str(highlight("<script>alert(1)</script>信用贷款", "信用")) == (
        "&lt;script&gt;alert(1)&lt;/script&gt;<mark>信用</mark>贷款"
    )
    assert "<script" not in str(highlight("abc", "<script>"))


def test_rich_text_is_sanitised_on_render(client, editor):
    body = '<p>正文<script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">链接</a></p>'
    page = published(draft_notice(editor=editor, slug="xss", body=body))
    html = client.get(page.url).content.decode()
    assert "alert(1)" not in html and "onclick" not in html and "javascript:" not in html
    assert "正文" in str(clean_richtext(body))


def test_policy_filters(client):
    policy(
        slug="agri", title="农业政策", authority="大庆市农业农村局", industries=["A"], policy_type="measure"
    )
    policy(
        slug="tech",
        title="科技政策",
        authority="大庆市科学技术局",
        industries=["I"],
        policy_type="regulation",
    )
    policy(
        slug="province",
        title="全省政策",
        authority="黑龙江省发改委",
        region_code="230000",
        policy_type="plan",
    )
    titles = lambda **f: {p.title for p in selectors.search_policies(**f)}  # noqa: E731
    assert titles(industry="A") == {"农业政策", "全省政策"}
    assert titles(authority="科学技术") == {"科技政策"}
    assert titles(region="230602") == {"农业政策", "科技政策", "全省政策"}
    assert titles(policy_type="plan") == {"全省政策"}
    response = client.get("/policies/", {"industry": "I"})
    assert "科技政策" in response.content.decode() and "农业政策" not in response.content.decode()
    assert client.get("/policies/", {"issued_from": "not-a-date"}).status_code == 200


def test_enterprise_sees_policies_of_its_region(client, login):
    # given an enterprise in 萨尔图区 and policies for 大庆 and for another city
    enterprise = OrganisationFactory(region_code="230602")
    user = member("enterprise_admin", organisation=enterprise)
    policy(slug="daqing", title="大庆政策")
    policy(slug="harbin", title="哈尔滨政策", region_code="230100")
    # then only the matching one is listed for it
    assert [p.title for p in selectors.policies_for_enterprise(user)] == ["大庆政策"]
    login(user)
    assert "大庆政策" in client.get("/").content.decode()


def test_documents_of_unpublished_pages_are_hidden(client):
    document = Document.objects.create(title="附件", file=ContentFile(b"%PDF-1.4 test", name="measures.pdf"))
    page = policy(slug="draft-policy", live=False)
    PolicyAttachment.objects.create(page=page, document=document)
    assert client.get(document.url).status_code == 404
    live = policy(slug="live-policy")
    PolicyAttachment.objects.create(page=live, document=document)
    assert client.get(document.url).status_code == 200


def test_home_keeps_its_promises_and_refreshes_on_publish(client, editor, login):
    response = client.get("/")
    assert response.status_code == 200
    assert "数字金融服务平台" in response.content.decode()
    published(draft_notice(editor=editor, title="新发布的通知", slug="fresh"))
    assert "新发布的通知" in client.get("/").content.decode()
    login(editor)
    body = client.get("/").content.decode()
    assert "你的工作台" in body and "欢迎" in body


def test_public_pages_keep_the_strict_csp(client):
    policy_header = client.get("/policies/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy_header + ";" and "unsafe-inline" not in policy_header


def test_board_pages_render_with_registry_members_and_course_sign_up(client, login, enterprise_admin, editor):
    from datetime import timedelta

    from django.utils import timezone

    from dfsp.portal.models import AssociationPage, CoursePage, IndustryChainPage, IndustryChainPolicy
    from dfsp.portal.tests.helpers import section

    bank = OrganisationFactory(institution=True, name="大庆测试银行")
    linked = policy(slug="chain-policy", title="石化产业链金融方案")
    chain = IndustryChainPage(title="石油化工产业链", slug="petro", industry_code="C")
    chain.chain_policies.add(IndustryChainPolicy(policy=linked))
    section("industry").add_child(instance=chain)
    association = section("association").add_child(instance=AssociationPage(title="金融业协会", slug="assoc"))
    course = section("education").add_child(
        instance=CoursePage(
            title="信用融资培训",
            slug="course",
            starts_at=timezone.now() + timedelta(days=3),
            location="政务服务中心",
            capacity=1,
        )
    )
    assert "石化产业链金融方案" in client.get(chain.url).content.decode()
    assert bank.name in client.get(association.url).content.decode()
    policy_html = client.get(linked.url).content.decode()
    assert "庆政办规〔2026〕5号" in policy_html
    # sign-up needs a login, is once per person, and the attendance list is for content staff
    assert client.post(f"/courses/{course.pk}/signup/").status_code == 302
    assert not course.signups.exists()
    login(enterprise_admin)
    client.post(f"/courses/{course.pk}/signup/")
    client.post(f"/courses/{course.pk}/signup/")
    assert course.signups.count() == 1
    assert client.get(f"/courses/{course.pk}/attendance/").status_code == 403
    login(editor)
    signup = course.signups.get()
    client.post(f"/courses/{course.pk}/attendance/", {"signup": signup.pk, "attended": "1"})
    signup.refresh_from_db()
    assert signup.attended
