"""Demo content for 大庆市: a published site tree, one draft waiting for the reviewer, questions."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dfsp.portal import selectors, services
from dfsp.portal.models import (
    AssociationPage,
    CasePage,
    CoursePage,
    FaqPage,
    HotServicePage,
    IndustryChainPage,
    IndustryChainPolicy,
    NewsPage,
    NoticePage,
    PolicyPage,
    Question,
    SectionPage,
)
from dfsp.portal.states import QuestionStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAQING = "230600"

POLICIES = [
    {
        "slug": "daqing-smes-financing-measures",
        "title": "大庆市支持中小微企业融资若干措施",
        "authority": "大庆市人民政府办公室",
        "document_number": "庆政办规〔2026〕5号",
        "policy_type": "measure",
        "issue_date": date(2026, 3, 12),
        "effective_date": date(2026, 4, 1),
        "region_code": DAQING,
        "industries": [],
        "scales": ["small", "micro"],
        "summary": "从贷款贴息、风险补偿、担保降费、首贷培育等方面支持中小微企业融资。",
        "body": "<p>一、对在平台获得首笔贷款的小微企业，按贷款市场报价利率的30%给予贴息，单户每年最高10万元。</p>"
        "<p>二、设立2亿元中小微企业贷款风险补偿资金池，对合作银行发生的不良贷款本金损失给予最高40%的补偿。</p>"
        "<p>三、政府性融资担保机构对单户1000万元以下小微企业担保业务年化担保费率不超过1%。</p>",
        "interpretation": "<p>本措施重点解决小微企业首贷难、续贷难问题，企业可通过数字金融服务平台在线申请贴息。</p>",
        "tags": ["贴息", "风险补偿", "首贷"],
    },
    {
        "slug": "heilongjiang-xinyidai-plan",
        "title": "黑龙江省“信易贷”工作实施方案",
        "authority": "黑龙江省发展和改革委员会",
        "document_number": "黑发改财金〔2025〕318号",
        "policy_type": "plan",
        "issue_date": date(2025, 11, 20),
        "effective_date": date(2025, 12, 1),
        "region_code": "230000",
        "industries": [],
        "scales": [],
        "summary": "推动涉企信用信息归集共享，发展以信用为基础的纯信用贷款。",
        "body": "<p>依托全省融资信用服务平台，归集纳税、社保、公积金、水电气等涉企信用信息，"
        "向金融机构提供“信易贷”服务，提高信用贷款占比。</p>",
        "interpretation": "<p>企业授权后，金融机构可查询其信用信息，无需抵押即可申请信用贷款。</p>",
        "tags": ["信易贷", "信用贷款"],
    },
    {
        "slug": "daqing-petrochemical-chain-finance",
        "title": "大庆市石化产业链金融服务专项行动方案",
        "authority": "大庆市地方金融监督管理局",
        "document_number": "庆金发〔2026〕12号",
        "policy_type": "plan",
        "issue_date": date(2026, 2, 18),
        "effective_date": date(2026, 2, 18),
        "region_code": DAQING,
        "industries": ["C", "B"],
        "scales": [],
        "summary": "围绕“油头化尾”产业链，推广订单贷、应收账款融资和供应链金融产品。",
        "body": "<p>鼓励银行机构以链主企业为核心，为上下游配套企业提供应收账款质押、订单融资等服务。</p>",
        "interpretation": "<p>石化产业链上下游企业可在平台“产业链专区”查看对应金融产品。</p>",
        "tags": ["产业链", "供应链金融"],
    },
    {
        "slug": "daqing-agri-credit-measures",
        "title": "大庆市金融支持乡村振兴和农业经营主体若干措施",
        "authority": "大庆市农业农村局",
        "document_number": "庆农发〔2026〕7号",
        "policy_type": "measure",
        "issue_date": date(2026, 1, 8),
        "effective_date": date(2026, 1, 15),
        "region_code": DAQING,
        "industries": ["A"],
        "scales": ["small", "micro"],
        "summary": "扩大农业经营主体信用贷款投放，推广“农担贷”“活体抵押贷”。",
        "body": "<p>对家庭农场、农民合作社等新型农业经营主体，政府性担保机构提供优惠担保。</p>",
        "interpretation": "<p>适用于在大庆市登记的农业企业和新型农业经营主体。</p>",
        "tags": ["乡村振兴", "农担"],
    },
    {
        "slug": "daqing-tech-enterprise-loans",
        "title": "大庆市科技型中小企业信贷风险补偿办法",
        "authority": "大庆市科学技术局",
        "document_number": "庆科规〔2025〕3号",
        "policy_type": "regulation",
        "issue_date": date(2025, 9, 1),
        "effective_date": date(2025, 10, 1),
        "region_code": DAQING,
        "industries": ["I", "M"],
        "scales": ["medium", "small", "micro"],
        "summary": "对合作银行向科技型中小企业发放的信用贷款损失给予风险补偿。",
        "body": "<p>科技型中小企业凭入库编号即可申请知识产权质押贷款和纯信用贷款。</p>",
        "interpretation": "<p>补偿比例最高50%，由市科技局会同财政局按季度审核拨付。</p>",
        "tags": ["科技金融", "知识产权质押"],
    },
]

NOTICES = [
    (
        "platform-launch",
        "关于大庆市数字金融服务平台正式上线运行的通知",
        "平台面向全市中小微企业和金融机构开放注册。",
    ),
    (
        "credit-data-authorisation",
        "关于开展企业信用信息授权查询服务的公告",
        "企业可在平台自主授权金融机构查询信用数据。",
    ),
    (
        "spring-financing-week",
        "2026年春季政银企融资对接周活动通知",
        "4月15日至19日在各区县举办融资对接活动。",
    ),
]
NEWS = [
    (
        "loans-first-quarter",
        "一季度平台累计撮合融资逾12亿元",
        "平台上线以来，入驻金融机构28家，发布产品96款。",
    ),
    ("bank-signing", "市政府与六家银行签署数字普惠金融合作协议", "六家银行承诺年内新增小微信用贷款50亿元。"),
]
CASES = [
    (
        "hyuan-petrochem",
        "石化新材料企业凭纳税信用获批500万元信用贷款",
        "大庆龙凤华源石化新材料有限公司",
        "工商银行大庆分行",
        Decimal("5000000"),
        "C",
    ),
    (
        "farm-coop",
        "农民合作社通过“农担贷”三天放款80万元",
        "肇源县丰禾种植专业合作社",
        "大庆农村商业银行",
        Decimal("800000"),
        "A",
    ),
    (
        "software-ip",
        "软件企业知识产权质押融资200万元",
        "大庆云启软件科技有限公司",
        "龙江银行大庆分行",
        Decimal("2000000"),
        "I",
    ),
]
FAQS = [
    (
        "how-to-register",
        "企业如何在平台注册？",
        "使用统一社会信用代码和法定代表人手机号注册，完成企业认证后即可发布融资需求。",
    ),
    (
        "what-is-credit-loan",
        "什么是纯信用贷款？",
        "不需要抵押担保，银行依据企业纳税、社保等信用数据发放的贷款。",
    ),
    (
        "data-safety",
        "我的数据会被泄露吗？",
        "金融机构只能在企业授权范围和期限内查询数据，每次查询均有记录可查。",
    ),
]
SERVICES = [
    ("compare-loans", "比较贷款产品", "按利率、期限、担保方式筛选和对比", "/institutions/", "cash-coin"),
    (
        "publish-demand",
        "发布融资需求",
        "认证企业发布，金融机构主动对接",
        "/financing/demands/new/",
        "megaphone",
    ),
    ("policy-library", "惠企政策查询", "按行业、区域精准匹配", "/policies/", "journal-text"),
    ("complaint", "投诉与建议", "限时办理，全程可查", "/complaints/", "chat-square-text"),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _publish(section, page, *, editor, reviewer):
    if section.get_children().filter(slug=page.slug).exists():
        return section.get_children().get(slug=page.slug).specific
    section.add_child(instance=page)
    revision = page.save_revision(user=editor)
    revision.publish(user=reviewer)
    return page


def seed(stdout) -> None:
    with transaction.atomic():
        root = services.ensure_site_tree()
        services.ensure_cms_setup()
        editor, reviewer, operator = _user("editor"), _user("reviewer"), _user("operator")
        for user in (editor, reviewer, operator):
            if user is not None:
                services.sync_cms_groups(user=user)
        sections = {section.slug: section for section in SectionPage.objects.child_of(root)}
        kw = {"editor": editor, "reviewer": reviewer}
        for slug, title, summary in NOTICES:
            _publish(
                sections["notices"],
                NoticePage(slug=slug, title=title, summary=summary, body=f"<p>{summary}</p>"),
                **kw,
            )
        for slug, title, summary in NEWS:
            _publish(
                sections["news"],
                NewsPage(slug=slug, title=title, summary=summary, body=f"<p>{summary}</p>"),
                **kw,
            )
        policies = {}
        for spec in POLICIES:
            spec = dict(spec)
            tags = spec.pop("tags")
            page = _publish(sections["policies"], PolicyPage(**spec), **kw)
            if not page.tags.exists():
                page.tags.add(*tags)
                page.save_revision(user=editor).publish(user=reviewer)
            policies[spec["slug"]] = page
        for slug, title, enterprise, institution, amount, industry in CASES:
            page = CasePage(
                slug=slug,
                title=title,
                summary=title,
                enterprise_name=enterprise,
                institution_name=institution,
                amount=amount,
                industry_code=industry,
                body=f"<p>{enterprise}通过平台对接{institution}，{title}。</p>",
            )
            _publish(sections["cases"], page, **kw)
        for slug, question, answer in FAQS:
            _publish(
                sections["faq"],
                FaqPage(slug=slug, title=question, summary=question, body=f"<p>{answer}</p>"),
                **kw,
            )
        for slug, title, summary, link, icon in SERVICES:
            page = HotServicePage(slug=slug, title=title, summary=summary, link_url=link, icon=icon)
            _publish(sections["services"], page, **kw)
        chain = IndustryChainPage(
            slug="petrochemical",
            title="石油化工产业链",
            industry_code="C",
            summary="大庆“油头化尾”产业链金融服务专区。",
            body="<p>聚焦炼化一体化、新材料和精细化工，汇集产业链支持政策和专属金融产品。</p>",
        )
        if not sections["industry"].get_children().filter(slug="petrochemical").exists():
            chain.chain_policies.add(
                IndustryChainPolicy(policy=policies["daqing-petrochemical-chain-finance"])
            )
        _publish(sections["industry"], chain, **kw)
        _publish(
            sections["association"],
            AssociationPage(
                slug="daqing-finance-association",
                title="大庆市金融业协会",
                summary="由在庆银行、保险、担保等金融机构组成的行业自律组织。",
                body="<p>协会组织会员机构开展政银企对接、金融知识普及和行业自律。</p>",
            ),
            **kw,
        )
        start = timezone.now().astimezone(SHANGHAI).replace(hour=14, minute=0, second=0, microsecond=0)
        _publish(
            sections["education"],
            CoursePage(
                slug="credit-basics",
                title="小微企业信用融资实务培训",
                kind="course",
                starts_at=start + timedelta(days=10),
                location="大庆市政务服务中心三楼培训室",
                capacity=60,
                summary="讲解信用贷款申请、数据授权和常见问题。",
                body="<p>主讲：平台运营中心、工行大庆分行。</p>",
            ),
            **kw,
        )
        _publish(
            sections["education"],
            CoursePage(
                slug="spring-matchmaking",
                title="2026春季政银企融资对接会",
                kind="event",
                starts_at=start + timedelta(days=20),
                location="大庆石油国际会展中心",
                capacity=300,
                summary="金融机构现场发布产品，企业一对一洽谈。",
                body="<p>请提前报名，现场凭报名信息入场。</p>",
            ),
            **kw,
        )
        _seed_draft_in_review(sections["notices"], editor)
        _seed_questions(operator)
    services.bump_content_version()
    stdout.write(f"portal: {len(selectors.search_content('大庆'))} pages mention 大庆")


def _seed_draft_in_review(section, editor):
    if editor is None or section.get_children().filter(slug="summer-credit-month").exists():
        return
    page = NoticePage(
        slug="summer-credit-month",
        title="关于开展2026年夏季“信用贷款推广月”活动的通知（草稿）",
        summary="6月在全市开展信用贷款推广月活动。",
        body="<p>各金融机构推出专属信用贷款产品并给予利率优惠。</p>",
    )
    page.live = False
    section.add_child(instance=page)
    page.save_revision(user=editor)
    services.submit_for_review(editor=editor, page=page)


def _seed_questions(operator):
    asker = _user("ent_admin")
    if asker is None or Question.objects.exists():
        return
    answered_at = datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
    Question.objects.create(
        asker=asker,
        title="信用贷款最长可以贷多久？",
        body="我们是一家石化配套企业，想了解信用贷款期限。",
        status=QuestionStatus.PUBLISHED,
        answer="多数银行的纯信用贷款期限为1年，部分产品支持随借随还、最长3年。",
        answered_by=operator,
        answered_at=answered_at,
        views=42,
    )
    Question.objects.create(
        asker=asker,
        title="贴息申请需要准备哪些材料？",
        body="庆政办规〔2026〕5号的贴息怎么申请？",
        status=QuestionStatus.PUBLISHED,
        answer="在平台提交贷款合同和付息凭证即可，无需纸质材料。",
        answered_by=operator,
        answered_at=answered_at,
        views=17,
    )
    Question.objects.create(
        asker=asker, title="担保费补贴什么时候发放？", body="去年的担保费补贴还没有到账。"
    )
