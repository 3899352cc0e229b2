from datetime import date

from dfsp.portal.models import NoticePage, PolicyPage, SectionPage
from dfsp.portal.services import ensure_site_tree


def section(slug: str) -> SectionPage:
    return SectionPage.objects.child_of(ensure_site_tree()).get(slug=slug)


def draft_notice(
    *, editor, title="关于开展融资对接活动的通知", slug="matchmaking", body="<p>活动内容</p>"
) -> NoticePage:
    page = NoticePage(title=title, slug=slug, summary="摘要", body=body)
    page.live = False
    section("notices").add_child(instance=page)
    page.save_revision(user=editor)
    return page


def published(page, user=None):
    page.save_revision(user=user).publish(user=user)
    return page.__class__.objects.get(pk=page.pk)


def policy(*, slug="measures", title="大庆市支持中小微企业融资若干措施", live=True, **fields) -> PolicyPage:
    values = {
        "authority": "大庆市人民政府办公室",
        "document_number": "庆政办规〔2026〕5号",
        "policy_type": "measure",
        "issue_date": date(2026, 3, 12),
        "region_code": "230600",
        "summary": "支持中小微企业融资",
        **fields,
    }
    page = PolicyPage(title=title, slug=slug, **values)
    page.live = False
    section("policies").add_child(instance=page)
    if live:
        return published(page)
    page.save_revision()
    return page
