from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "dfsp.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from dfsp.core import labels
        from dfsp.core.navigation import PUBLIC, NavEntry, register
        from dfsp.portal import receivers

        receivers.connect()
        # After Wagtail's own apps (listed after the portal) have created their permissions.
        wagtail_core = apps.get_app_config("wagtailcore")
        post_migrate.connect(_ensure_site_tree, sender=wagtail_core, dispatch_uid="portal.site_tree")
        labels.register(
            "event",
            {
                "portal.page.published": _("Content published"),
                "portal.page.unpublished": _("Content unpublished"),
                "portal.page.withdrawn": _("Content withdrawn"),
                "portal.workflow.submitted": _("Content submitted for review"),
                "portal.workflow.approved": _("Content approved"),
                "portal.workflow.rejected": _("Content returned for changes"),
                "portal.question.asked": _("Question asked"),
                "portal.question.answered": _("Question answered"),
                "portal.question.published": _("Question published"),
                "portal.question.rejected": _("Question rejected"),
                "portal.question.promoted": _("Question promoted to the FAQ"),
                "portal.course.signup": _("Course sign-up"),
                "portal.course.attendance": _("Course attendance recorded"),
            },
        )
        labels.register(
            "job",
            {
                "portal.publish_scheduled": _("Publish scheduled content"),
                "portal.refresh_data_overview": _("Refresh the data overview"),
            },
        )
        content_roles = frozenset({"content_editor", "content_reviewer", "operator"})
        for entry in (
            NavEntry(
                key="policies",
                label=_("Policy library"),
                url_name="portal:policies",
                roles=PUBLIC,
                order=10,
                icon="journal-text",
            ),
            NavEntry(
                key="questions",
                label=_("Online questions"),
                url_name="portal:questions",
                roles=PUBLIC,
                order=12,
                icon="question-circle",
            ),
            NavEntry(
                key="data_overview",
                label=_("Data overview"),
                url_name="portal:data_overview",
                roles=PUBLIC,
                order=14,
                icon="bar-chart",
            ),
            NavEntry(
                key="cms",
                label=_("Content management"),
                url_name="wagtailadmin_home",
                roles=content_roles,
                order=80,
                icon="pencil-square",
            ),
            NavEntry(
                key="questions_manage",
                label=_("Answer questions"),
                url_name="portal:questions_manage",
                roles=frozenset({"operator", "institution_user", "institution_admin"}),
                order=81,
                icon="chat-left-text",
            ),
        ):
            register(entry)


def _ensure_site_tree(**kwargs) -> None:
    from dfsp.portal.services import ensure_cms_setup, ensure_site_tree

    ensure_site_tree()
    ensure_cms_setup()
