"""Gaps closed after the first implementation: search over what the reader sees (with a snippet),
policies for an enterprise's industry and scale, products linked to policies, every page type
public only when live, revisions comparable in the CMS, CMS uploads checked by size and content."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document

from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.enterprises.models import EnterpriseProfile
from dfsp.portal import forms as portal_forms
from dfsp.portal import selectors, services
from dfsp.portal.models import CasePage, CoursePage, FaqPage, HotServicePage, NewsPage, VideoPage
from dfsp.portal.tests.helpers import draft_notice, policy, published, section

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCUMENT_FORM = "dfsp.portal.forms.PortalDocumentForm"


# --- Search -----------------------------------------------------------------------------------


def test_search_finds_a_word_in_the_body_and_shows_it_highlighted_in_context(client, editor):
    body = "<p>本次活动将邀请多家银行现场介绍科技型企业知识产权质押融资产品，欢迎报名。</p>"
    published(draft_notice(editor=editor, title="关于举办银企对接会的通知", slug="ip", body=body))
    results = selectors.search_content("知识产权质押")
    assert [page.title for page in results] == ["关于举办银企对接会的通知"]
    assert "知识产权质押" in results[0].search_snippet
    html = client.get("/search/", {"q": "知识产权质押"}).content.decode()
    assert "<mark>知识产权质押</mark>" in html


def test_search_looks_in_policy_fields_and_never_matches_markup(client, editor):
    policy(slug="numbered", title="关于支持小微企业的若干措施")
    assert [p.title for p in selectors.search_content("庆政办规")] == ["关于支持小微企业的若干措施"]
    published(
        draft_notice(editor=editor, slug="markup", body='<p><strong>加粗</strong><a href="/x/">链接</a></p>')
    )
    assert selectors.search_content("strong") == []
    assert selectors.search_content("href") == []


def test_withdrawn_content_leaves_search_and_the_site(client, editor, reviewer):
    page = published(draft_notice(editor=editor, title="即将撤回的融资通知", slug="gone"))
    assert selectors.search_content("即将撤回")
    services.withdraw_page(actor=reviewer, page=page, reason="信息有误")
    assert selectors.search_content("即将撤回") == []
    assert "即将撤回的融资通知" not in client.get("/search/", {"q": "即将撤回"}).content.decode()
    assert client.get("/notices/gone/").status_code == 404
    assert "即将撤回的融资通知" not in client.get("/notices/").content.decode()


def test_script_in_a_search_query_is_shown_as_text(client):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html


# --- Policies ---------------------------------------------------------------------------------


def test_enterprise_sees_policies_for_its_industry_and_scale(client, login):
    enterprise = OrganisationFactory(region_code="230602")
    EnterpriseProfile.objects.create(
        organisation=enterprise, legal_representative="张三", industry="C", scale="small"
    )
    user = member("enterprise_admin", organisation=enterprise)
    policy(slug="all", title="普惠政策")
    policy(slug="manufacturing-small", title="制造业小微政策", industries=["C"], scales=["small"])
    policy(slug="farming", title="农业政策", industries=["A"])
    policy(slug="large", title="大型企业政策", scales=["large"])
    assert {p.title for p in selectors.policies_for_enterprise(user)} == {"普惠政策", "制造业小微政策"}
    login(user)
    html = client.get("/policies/").content.decode()
    assert "制造业小微政策" in html


def test_people_without_an_enterprise_get_no_personal_policy_list(loan_officer):
    policy(slug="any")
    assert selectors.policies_for_enterprise(loan_officer) == []


def test_policy_page_lists_matching_live_products(client, loan_officer, operator_user):
    from dfsp.financing.tests.helpers import make_live_product

    product = make_live_product(loan_officer, operator_user, name="制造业信用快贷", industries=["C"])
    manufacturing = policy(slug="manufacturing", title="制造业融资政策", industries=["C"])
    farming = policy(slug="farming", title="农业融资政策", industries=["A"])
    assert product.name in client.get(manufacturing.url).content.decode()
    assert product.name not in client.get(farming.url).content.decode()


# --- Every page type: public when live, 404 as a draft -----------------------------------------


def _page(model, slug):
    values = {
        "title": f"{model._meta.model_name}页面",
        "slug": slug,
        "summary": "摘要",
        "body": "<p>正文</p>",
    }
    extra = {
        CasePage: {"enterprise_name": "大庆某企业", "institution_name": "某银行", "amount": 500000},
        HotServicePage: {"link_url": "/complaints/"},
        CoursePage: {"starts_at": timezone.now() + timedelta(days=5), "location": "政务服务中心"},
    }
    return model(**values, **extra.get(model, {}))


@pytest.mark.parametrize(
    ("model", "section_slug"),
    [
        (NewsPage, "news"),
        (CasePage, "cases"),
        (FaqPage, "faq"),
        (HotServicePage, "services"),
        (VideoPage, "videos"),
        (CoursePage, "education"),
    ],
)
def test_each_page_type_is_public_only_when_live(client, model, section_slug):
    page = _page(model, "item")
    page.live = False
    section(section_slug).add_child(instance=page)
    page.save_revision()
    url = f"/{section_slug}/item/"
    assert client.get(url).status_code == 404
    assert page.title not in client.get(f"/{section_slug}/").content.decode()
    published(page)
    response = client.get(url)
    assert response.status_code == 200 and page.title in response.content.decode()
    assert page.title in client.get(f"/{section_slug}/").content.decode()


# --- Revisions --------------------------------------------------------------------------------


def test_reviewer_compares_revisions_in_the_cms(client, login, editor, reviewer):
    page = draft_notice(editor=editor, body="<p>第一版内容</p>")
    first = page.latest_revision
    services.save_draft(editor=editor, page=page, body="<p>第二版内容</p>")
    page.refresh_from_db()
    second = page.latest_revision
    assert first.pk != second.pk
    login(reviewer)
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "第一版内容" in html and "第二版内容" in html


# --- Documents uploaded in the CMS -------------------------------------------------------------


def _upload(client, name, content, content_type="application/pdf"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": 1,
        },
    )


@override_settings(WAGTAILDOCS_DOCUMENT_FORM_BASE=DOCUMENT_FORM)
def test_cms_refuses_disguised_and_oversized_documents(client, login, editor, monkeypatch):
    from wagtail.models import Collection

    services.ensure_cms_setup()
    assert Collection.objects.filter(pk=1).exists()
    login(editor)
    disguised = _upload(client, "policy.pdf", b"<html><script>alert(1)</script></html>")
    assert disguised.status_code == 200 and not Document.objects.exists()
    assert "不符" in disguised.content.decode() or "does not match" in disguised.content.decode()
    monkeypatch.setattr(portal_forms, "DOCUMENT_MAX_BYTES", 16)
    assert _upload(client, "big.pdf", PDF).status_code == 200
    assert not Document.objects.exists()
    monkeypatch.setattr(portal_forms, "DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
    accepted = _upload(client, "policy.pdf", PDF)
    assert accepted.status_code == 302
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("run.exe", b"MZ\x90\x00" + b"\x00" * 60, "extension"),
        ("page.html", b"<html></html>", "extension"),
        ("notice.docx", b"<html><script>x</script></html>", "content"),
        ("clip.mp4", PDF, "content"),
    ],
)
def test_document_check_refuses_what_it_should(name, content, code):
    from django import forms

    with pytest.raises(forms.ValidationError) as caught:
        portal_forms.check_document_upload(SimpleUploadedFile(name, content))
    assert caught.value.code == code


def test_document_check_accepts_real_files():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    portal_forms.check_document_upload(SimpleUploadedFile("notice.docx", buffer.getvalue()))
    portal_forms.check_document_upload(SimpleUploadedFile("policy.pdf", PDF))


# --- Home -------------------------------------------------------------------------------------


def test_home_links_every_section_and_board_and_shows_news(client):
    news = _page(NewsPage, "launch")
    news.title = "平台上线新闻"
    news.live = False
    section("news").add_child(instance=news)
    published(news)
    html = client.get("/").content.decode()
    for slug in (
        "notices",
        "news",
        "policies",
        "cases",
        "faq",
        "services",
        "videos",
        "industry",
        "association",
        "education",
    ):
        assert f'href="/{slug}/"' in html, slug
    assert "平台上线新闻" in html
    for name in (
        "complaints:file",
        "portal:policies",
        "portal:questions",
        "portal:data_overview",
        "institutions:supermarket",
    ):
        assert f'href="{reverse(name)}"' in html, name
