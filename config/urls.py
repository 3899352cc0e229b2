from django.urls import include, path
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls

from config.api import api
from dfsp.core import views as core_views
from dfsp.core.access import public_view

urlpatterns = [
    path("", include("dfsp.portal.urls")),
    path("accounts/", include("dfsp.accounts.urls")),
    path("audit/", include("dfsp.audit.urls")),
    path("messages/", include("dfsp.notifications.urls")),
    path("enterprises/", include("dfsp.enterprises.urls")),
    path("institutions/", include("dfsp.institutions.urls")),
    path("financing/", include("dfsp.financing.urls")),
    path("data/", include("dfsp.datahub.urls")),
    path("consent/", include("dfsp.consent.urls")),
    path("complaints/", include("dfsp.complaints.urls")),
    path("workdays/", include("dfsp.workdays.urls")),
    path("credit/", include("dfsp.credit.urls")),
    path("matching/", include("dfsp.matching.urls")),
    path("loans/", include("dfsp.loans.urls")),
    path("postloan/", include("dfsp.postloan.urls")),
    path("timeliness/", include("dfsp.timeliness.urls")),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("system/status/", core_views.system_status, name="system_status"),
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    # --- Wagtail (portal content): the CMS admin, documents, and the page catch-all LAST.
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include("dfsp.portal.cms_urls.documents")),
    path("", include("dfsp.portal.cms_urls.pages")),
]

handler400 = "dfsp.core.views.bad_request"
handler403 = "dfsp.core.views.permission_denied"
handler404 = "dfsp.core.views.page_not_found"
handler500 = "dfsp.core.views.server_error"
