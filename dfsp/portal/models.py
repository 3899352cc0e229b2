"""Portal content: Wagtail page types (edited at /cms/, published through moderation workflows)
and the portal's own records (online questions, course sign-ups)."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from dfsp.core.industries import industry_choices, scale_choices
from dfsp.core.regions import region_choices
from dfsp.portal.states import QuestionStatus

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

# Fields that the portal's own Chinese search looks in (Wagtail's database backend does not
# tokenise Chinese, so search.py runs icontains over these).
SEARCHABLE_FIELDS = ("title", "summary", "body")


class PortalRootPage(Page):
    """The site root. "/" itself is the portal home view; the root only holds the sections."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.SectionPage"]
    max_count = 1
    template = "portal/pages/section_page.html"

    class Meta:
        verbose_name = _("portal root")


class SectionPage(Page):
    """A listing section (notices, news, policies, cases, FAQ, services, videos, courses, boards)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.PortalRootPage", "portal.SectionPage"]
    template = "portal/pages/section_page.html"

    class Meta:
        verbose_name = _("section")


class ArticlePage(Page):
    """Common fields of every dated article; concrete types below."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = RichTextField(_("body"), features=RICH_FEATURES, blank=True)

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []
    template = "portal/pages/article_page.html"

    class Meta:
        abstract = True


class NoticePage(ArticlePage):
    template = "portal/pages/article_page.html"

    class Meta:
        verbose_name = _("notice")


class NewsPage(ArticlePage):
    template = "portal/pages/article_page.html"

    class Meta:
        verbose_name = _("news")


class PolicyType(models.TextChoices):
    REGULATION = "regulation", _("Regulation")
    MEASURE = "measure", _("Support measure")
    PLAN = "plan", _("Implementation plan")
    NOTICE = "notice", _("Policy notice")


class PolicyPageForm(WagtailAdminPageForm):
    """Industries and scales are stored as JSON lists of code-set values and edited as checkboxes."""

    industries = forms.MultipleChoiceField(
        label=_("applicable industries"),
        choices=industry_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scales = forms.MultipleChoiceField(
        label=_("applicable enterprise scales"),
        choices=scale_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PolicyPageTag(TaggedItemBase):
    content_object = ParentalKey("portal.PolicyPage", on_delete=models.CASCADE, related_name="tagged_items")


class PolicyPage(ArticlePage):
    authority = models.CharField(_("issuing authority"), max_length=120)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    policy_type = models.CharField(_("policy type"), max_length=20, choices=PolicyType.choices)
    issue_date = models.DateField(_("issue date"))
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    region_code = models.CharField(_("region"), max_length=6, choices=region_choices)
    # Empty list: applies to every industry / every scale.
    industries = models.JSONField(_("applicable industries"), default=list, blank=True)
    scales = models.JSONField(_("applicable enterprise scales"), default=list, blank=True)
    interpretation = RichTextField(_("policy interpretation"), features=RICH_FEATURES, blank=True)
    tags = ClusterTaggableManager(through=PolicyPageTag, blank=True, verbose_name=_("tags"))

    base_form_class = PolicyPageForm
    search_fields = [
        *ArticlePage.search_fields,
        index.SearchField("authority"),
        index.SearchField("document_number"),
        index.SearchField("interpretation"),
        index.FilterField("region_code"),
    ]
    content_panels = [
        *ArticlePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("authority"),
                FieldPanel("document_number"),
                FieldPanel("policy_type"),
                FieldPanel("issue_date"),
                FieldPanel("effective_date"),
                FieldPanel("region_code"),
            ],
            heading=_("Document"),
        ),
        FieldPanel("industries"),
        FieldPanel("scales"),
        FieldPanel("tags"),
        InlinePanel("attachments", label=_("attachments")),
        FieldPanel("interpretation"),
    ]
    template = "portal/pages/policy_page.html"

    class Meta:
        verbose_name = _("policy")
        indexes = [models.Index(fields=["issue_date"])]


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("document")]


class CasePage(ArticlePage):
    enterprise_name = models.CharField(_("enterprise"), max_length=120)
    institution_name = models.CharField(_("institution"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True)
    industry_code = models.CharField(_("industry"), max_length=1, choices=industry_choices, blank=True)

    content_panels = [
        *ArticlePage.content_panels,
        FieldPanel("enterprise_name"),
        FieldPanel("institution_name"),
        FieldPanel("amount"),
        FieldPanel("industry_code"),
    ]
    template = "portal/pages/case_page.html"

    class Meta:
        verbose_name = _("financing case")


class FaqPage(ArticlePage):
    """One question and its answer (summary holds the question's short form)."""

    template = "portal/pages/article_page.html"

    class Meta:
        verbose_name = _("FAQ entry")


class HotServicePage(ArticlePage):
    link_url = models.CharField(_("service address"), max_length=200, help_text=_("e.g. /financing/"))
    icon = models.CharField(_("icon"), max_length=40, default="lightning")

    content_panels = [*ArticlePage.content_panels, FieldPanel("link_url"), FieldPanel("icon")]
    template = "portal/pages/article_page.html"

    class Meta:
        verbose_name = _("hot service")


class VideoPage(ArticlePage):
    video = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transcript = models.TextField(_("transcript"), blank=True)

    content_panels = [*ArticlePage.content_panels, FieldPanel("video"), FieldPanel("transcript")]
    template = "portal/pages/video_page.html"

    class Meta:
        verbose_name = _("video")


class IndustryChainPage(ArticlePage):
    """IND board: one core industry chain with its support policies and matching products."""

    industry_code = models.CharField(_("industry"), max_length=1, choices=industry_choices)

    content_panels = [
        *ArticlePage.content_panels,
        FieldPanel("industry_code"),
        InlinePanel("chain_policies", label=_("support policies")),
    ]
    template = "portal/pages/industry_chain_page.html"

    class Meta:
        verbose_name = _("industry chain")


class IndustryChainPolicy(Orderable):
    page = ParentalKey(IndustryChainPage, on_delete=models.CASCADE, related_name="chain_policies")
    policy = models.ForeignKey(PolicyPage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("policy", "portal.PolicyPage")]


class AssociationPage(ArticlePage):
    """ASSOC board: the association; its member directory comes from the institution registry."""

    template = "portal/pages/association_page.html"

    class Meta:
        verbose_name = _("association")


class CourseKind(models.TextChoices):
    COURSE = "course", _("Course")
    EVENT = "event", _("Event")


class CoursePage(ArticlePage):
    """EDU board: a course or an event that logged-in users sign up for."""

    kind = models.CharField(_("kind"), max_length=10, choices=CourseKind.choices, default=CourseKind.COURSE)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), default=50)

    content_panels = [
        *ArticlePage.content_panels,
        FieldPanel("kind"),
        FieldPanel("starts_at"),
        FieldPanel("location"),
        FieldPanel("capacity"),
    ]
    template = "portal/pages/course_page.html"

    class Meta:
        verbose_name = _("course or event")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["signup_count"] = self.signups.count()
        user = request.user
        context["signed_up"] = user.is_authenticated and self.signups.filter(user=user).exists()
        return context


ARTICLE_TYPES = (
    NoticePage,
    NewsPage,
    PolicyPage,
    CasePage,
    FaqPage,
    HotServicePage,
    VideoPage,
    IndustryChainPage,
    AssociationPage,
    CoursePage,
)


class CourseSignup(models.Model):
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_up_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="portal_signup_once")]
        ordering = ["signed_up_at"]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.user_id}"


class Question(models.Model):
    """在线提问: public only once an operator has moderated (published) it."""

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("question"), max_length=120)
    body = models.TextField(_("details"), max_length=2000)
    status = models.CharField(max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.PENDING)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    promoted_page_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return self.title
