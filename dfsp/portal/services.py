"""Portal writes: CMS groups and workflow, page review steps, withdrawals, questions, sign-ups."""

import html

import nh3
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, NotFound, ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.notifications.services import notify
from dfsp.portal.models import CourseSignup, FaqPage, PortalRootPage, Question, SectionPage
from dfsp.portal.states import QUESTION_TRANSITIONS, QuestionStatus

CMS_ROLES = frozenset({Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER, Role.OPERATOR})
REVIEW_ROLES = frozenset({Role.CONTENT_REVIEWER, Role.OPERATOR})
EDITORS_GROUP = "内容编辑"
REVIEWERS_GROUP = "内容审核"
WORKFLOW_NAME = "内容发布审核"
CONTENT_VERSION_KEY = "portal:content-version"

# Editors draft and submit; reviewers (and operators) also publish, unpublish and lock.
_EDITOR_PAGE_PERMS = ("add_page", "change_page")
_REVIEWER_PAGE_PERMS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
_COLLECTION_PERMS = (
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
)


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_cms_setup() -> tuple[Group, Group]:
    """Create the two CMS groups, their page/collection permissions and the review workflow."""
    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    reviewers, _created = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    access = _perm("wagtailadmin", "access_admin")
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for group, page_perms in ((editors, _EDITOR_PAGE_PERMS), (reviewers, _REVIEWER_PAGE_PERMS)):
        group.permissions.add(access)
        for codename in page_perms:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=_perm("wagtailcore", codename)
            )
        for app_label, codenames in _COLLECTION_PERMS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=_perm(app_label, codename)
                )
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created or not workflow.workflow_tasks.exists():
        task, _created = GroupApprovalTask.objects.get_or_create(name="审核")
        task.groups.set([reviewers])
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    portal_root = PortalRootPage.objects.first()
    if portal_root is not None:
        WorkflowPage.objects.update_or_create(page=portal_root, defaults={"workflow": workflow})
    return editors, reviewers


def sync_cms_groups(*, user) -> None:
    """Make the user's Wagtail groups follow their platform roles (roles are the source of truth)."""
    editors, reviewers = ensure_cms_setup()
    roles = user.role_codes()
    wanted = set()
    if Role.CONTENT_EDITOR in roles:
        wanted.add(editors)
    if roles & REVIEW_ROLES:
        wanted.add(reviewers)
    current = set(user.groups.filter(pk__in=[editors.pk, reviewers.pk]))
    if current != wanted:
        user.groups.remove(*(current - wanted))
        user.groups.add(*(wanted - current))


def bump_content_version() -> None:
    """Invalidate the cached home-page fragments (their keys include this version)."""
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, None)


def content_version() -> int:
    return cache.get_or_set(CONTENT_VERSION_KEY, 1, None)


# --- Page review steps (the same Wagtail actions the admin buttons run) ------------------------


def _require_roles(actor, roles) -> None:
    if not actor.is_authenticated or not actor.has_any_role(roles):
        raise AccessDenied(code="role")


def save_draft(*, editor, page: Page, **changes) -> Page:
    """Write a new revision with ``changes`` without touching the live version."""
    _require_roles(editor, CMS_ROLES)
    page = page.specific
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision(user=editor, log_action=True)
    return page


def submit_for_review(*, editor, page: Page):
    _require_roles(editor, CMS_ROLES)
    ensure_cms_setup()
    page = page.specific
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationFailed(code="no_workflow")
    state = page.current_workflow_state
    if state is not None:
        # Returned for changes: the editor's resubmission resumes the same workflow.
        if state.status == state.STATUS_NEEDS_CHANGES:
            state.resume(editor)
        return state
    if page.latest_revision is None:
        page.save_revision(user=editor)
    return workflow.start(page, editor)


def _act(*, reviewer, page: Page, action: str, comment: str):
    _require_roles(reviewer, REVIEW_ROLES)
    sync_cms_groups(user=reviewer)
    page = Page.objects.get(pk=page.pk).specific
    task_state = page.current_workflow_task_state
    if task_state is None:
        raise ValidationFailed(code="not_in_review")
    task = task_state.task.specific
    if action not in [name for name, _label, _modal in task.get_actions(page, reviewer)]:
        raise AccessDenied(code="not_a_reviewer")
    task.on_action(task_state, reviewer, action, comment=comment)
    return Page.objects.get(pk=page.pk).specific


def approve_page(*, reviewer, page: Page, comment: str = ""):
    """Approve the review task; Wagtail then publishes (or schedules, if go_live_at is later)."""
    return _act(reviewer=reviewer, page=page, action="approve", comment=comment)


def return_page(*, reviewer, page: Page, comment: str):
    if not comment.strip():
        raise ValidationFailed(field_errors={"comment": [_("Say what needs to change.")]})
    return _act(reviewer=reviewer, page=page, action="reject", comment=comment)


def withdraw_page(*, actor, page: Page, reason: str) -> Page:
    """Unpublish live content with a reason (the page and its revisions are kept)."""
    _require_roles(actor, REVIEW_ROLES)
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("Give a reason for the withdrawal.")]})
    sync_cms_groups(user=actor)
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk).specific
        if not page.live:
            raise NotFound()
        page.unpublish(user=actor, log_action=True)
        record_event(
            event_type="portal.page.withdrawn",
            actor=actor,
            object_type="page",
            object_id=page.pk,
            details={"title": page.title, "reason": reason[:500]},
        )
    return page


def publish_scheduled_pages() -> dict:
    """Publish revisions whose go_live_at has passed and unpublish expired pages (Wagtail's job)."""
    call_command("publish_scheduled")
    bump_content_version()
    return {}


# --- Online questions (在线提问) ------------------------------------------------------------------


def plain_text(value: str) -> str:
    """Strip every tag (scripts included); the result is escaped again when rendered."""
    return html.unescape(nh3.clean(value or "", tags=set())).strip()


def ask_question(*, asker, title: str, body: str, institution=None) -> Question:
    if not asker.is_authenticated:
        raise AccessDenied(code="login")
    title, body = plain_text(title)[:120], plain_text(body)[:2000]
    errors = {}
    if not title:
        errors["title"] = [_("This field is required.")]
    if not body:
        errors["body"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        question = Question.objects.create(asker=asker, title=title, body=body, institution=institution)
        record_event(
            event_type="portal.question.asked", actor=asker, object_type="question", object_id=question.pk
        )
    return question


def _can_answer(actor, question: Question) -> bool:
    from dfsp.accounts.roles import INSTITUTION_ROLES
    from dfsp.accounts.selectors import organisation_of

    if actor.has_any_role({Role.OPERATOR}):
        return True
    return bool(
        question.institution_id
        and actor.has_any_role(INSTITUTION_ROLES)
        and getattr(organisation_of(actor), "pk", None) == question.institution_id
    )


def _locked_question(question_id) -> Question:
    try:
        return Question.objects.select_for_update().get(pk=question_id)
    except Question.DoesNotExist:
        raise NotFound() from None


def answer_question(*, actor, question_id: int, answer: str) -> Question:
    answer = plain_text(answer)[:4000]
    if not answer:
        raise ValidationFailed(field_errors={"answer": [_("This field is required.")]})
    with transaction.atomic():
        question = _locked_question(question_id)
        if not _can_answer(actor, question):
            raise NotFound()
        ensure_transition(question.status, QuestionStatus.ANSWERED, QUESTION_TRANSITIONS)
        question.status = QuestionStatus.ANSWERED
        question.answer, question.answered_by, question.answered_at = answer, actor, timezone.now()
        question.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record_event(
            event_type="portal.question.answered", actor=actor, object_type="question", object_id=question.pk
        )
        notify(
            recipients=[question.asker],
            category="portal",
            title=_("Your question has been answered"),
            body=question.title,
            link="/questions/mine/",
        )
    return question


def moderate_question(*, moderator, question_id: int, publish: bool) -> Question:
    _require_roles(moderator, {Role.OPERATOR})
    target = QuestionStatus.PUBLISHED if publish else QuestionStatus.REJECTED
    with transaction.atomic():
        question = _locked_question(question_id)
        ensure_transition(question.status, target, QUESTION_TRANSITIONS)
        question.status = target
        question.save(update_fields=["status"])
        record_event(
            event_type=f"portal.question.{target}",
            actor=moderator,
            object_type="question",
            object_id=question.pk,
        )
    bump_content_version()
    return question


def promote_to_faq(*, actor, question_id: int) -> FaqPage:
    """Turn a published answer into a draft FAQ entry; reviewers publish it through the workflow."""
    _require_roles(actor, {Role.OPERATOR})
    with transaction.atomic():
        question = _locked_question(question_id)
        if question.status != QuestionStatus.PUBLISHED:
            raise ValidationFailed(code="question_not_published")
        if question.promoted_page_id:
            raise ValidationFailed(code="already_promoted")
        section = SectionPage.objects.filter(slug="faq").first()
        if section is None:
            raise NotFound()
        page = FaqPage(
            title=question.title, summary=question.title, body=f"<p>{html.escape(question.answer)}</p>"
        )
        page.live = False
        section.add_child(instance=page)
        page.save_revision(user=actor, log_action=True)
        question.promoted_page_id = page.pk
        question.save(update_fields=["promoted_page_id"])
        record_event(
            event_type="portal.question.promoted", actor=actor, object_type="question", object_id=question.pk
        )
    return page


# --- Courses and events (EDU) -------------------------------------------------------------------


def sign_up(*, user, course) -> CourseSignup:
    if not user.is_authenticated:
        raise AccessDenied(code="login")
    with transaction.atomic():
        course = type(course).objects.select_for_update().get(pk=course.pk)
        if not course.live:
            raise NotFound()
        if CourseSignup.objects.filter(course=course, user=user).exists():
            raise ValidationFailed(code="already_signed_up")
        if course.signups.count() >= course.capacity:
            raise ValidationFailed(code="course_full")
        signup = CourseSignup.objects.create(course=course, user=user)
        record_event(event_type="portal.course.signup", actor=user, object_type="course", object_id=course.pk)
    return signup


def mark_attendance(*, actor, signup_id: int, attended: bool) -> CourseSignup:
    _require_roles(actor, CMS_ROLES)
    with transaction.atomic():
        signup = CourseSignup.objects.select_for_update().filter(pk=signup_id).first()
        if signup is None:
            raise NotFound()
        signup.attended = attended
        signup.save(update_fields=["attended"])
        record_event(
            event_type="portal.course.attendance",
            actor=actor,
            object_type="course_signup",
            object_id=signup.pk,
            details={"attended": attended},
        )
    return signup


def refresh_data_overview() -> dict:
    from dfsp.portal.selectors import DATA_OVERVIEW_KEY, compute_data_overview

    overview = compute_data_overview()
    cache.set(DATA_OVERVIEW_KEY, overview, 2 * 3600)
    return {"totals": len(overview["totals"])}


# --- The site tree ------------------------------------------------------------------------------

SECTIONS = (
    ("notices", "通知公告"),
    ("news", "新闻动态"),
    ("policies", "政策库"),
    ("cases", "融资案例"),
    ("faq", "常见问题"),
    ("services", "热门服务"),
    ("videos", "视频专区"),
    ("industry", "产业链专区"),
    ("association", "金融协会"),
    ("education", "金融教育"),
)


def ensure_site_tree() -> PortalRootPage:
    """The portal root as the default site's root, with one section per content kind (idempotent)."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Site

    portal_root = PortalRootPage.objects.first()
    if portal_root is None:
        # A flushed database (transactional tests) has lost Wagtail's initial data too.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(title="Root", slug="root")
        portal_root = root.add_child(instance=PortalRootPage(title="数字金融服务平台", slug="portal"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=portal_root, is_default_site=True, site_name="DFSP"
            )
        else:
            welcome = site.root_page
            site.root_page = portal_root
            site.save(update_fields=["root_page"])
            if welcome.specific_class is Page and welcome.pk != portal_root.pk and welcome.is_leaf():
                welcome.delete()
    existing = set(portal_root.get_children().values_list("slug", flat=True))
    for slug, title in SECTIONS:
        if slug not in existing:
            portal_root.add_child(instance=SectionPage(title=title, slug=slug))
    return portal_root


def count_question_view(*, question) -> None:
    """One more reader of a public question; "popular" questions are the most read (atomic update)."""
    type(question).objects.filter(pk=question.pk).update(views=F("views") + 1)
