"""Every publishing step taken in Wagtail is also written to the platform's audit trail."""

from wagtail import signals
from wagtail.models import Page

from dfsp.audit.services import record_event
from dfsp.portal.services import bump_content_version


def _page_details(page, **extra) -> dict:
    return {"title": page.title[:200], "page_type": page._meta.model_name, **extra}


def _is_platform_content(page) -> bool:
    # Wagtail's bare installation pages (its root, the "Welcome" placeholder) are not content.
    return page.specific_class is not Page


def on_page_published(sender, instance, revision=None, **kwargs):
    if not _is_platform_content(instance):
        return
    record_event(
        event_type="portal.page.published",
        actor=getattr(revision, "user", None),
        object_type="page",
        object_id=instance.pk,
        details=_page_details(instance, revision=getattr(revision, "pk", None)),
    )
    bump_content_version()


def on_page_unpublished(sender, instance, **kwargs):
    if not _is_platform_content(instance):
        return
    record_event(
        event_type="portal.page.unpublished",
        object_type="page",
        object_id=instance.pk,
        details=_page_details(instance),
    )
    bump_content_version()


def _workflow_receiver(event_type: str):
    def receiver(sender, instance, user=None, **kwargs):
        page = instance.content_object
        details = _page_details(page, workflow=instance.workflow.name)
        task_state = getattr(instance, "current_task_state", None)
        if task_state is not None and task_state.comment:
            details["comment"] = task_state.comment[:500]
        record_event(
            event_type=event_type, actor=user, object_type="page", object_id=page.pk, details=details
        )

    return receiver


on_workflow_submitted = _workflow_receiver("portal.workflow.submitted")
on_workflow_approved = _workflow_receiver("portal.workflow.approved")
on_workflow_rejected = _workflow_receiver("portal.workflow.rejected")


def connect() -> None:
    signals.page_published.connect(on_page_published, dispatch_uid="portal.audit.published")
    signals.page_unpublished.connect(on_page_unpublished, dispatch_uid="portal.audit.unpublished")
    signals.workflow_submitted.connect(on_workflow_submitted, dispatch_uid="portal.audit.submitted")
    signals.workflow_approved.connect(on_workflow_approved, dispatch_uid="portal.audit.approved")
    signals.workflow_rejected.connect(on_workflow_rejected, dispatch_uid="portal.audit.rejected")
