"""Wagtail's page catch-all, declared public: Wagtail serves only live pages and 404s the rest."""

from django.urls import re_path
from wagtail import views as wagtail_views

from dfsp.core.access import public_view


@public_view
def serve_page(request, path):
    return wagtail_views.serve(request, path)


# Never under /api/: an unknown API path must answer the JSON 404, not a slash redirect to a page.
urlpatterns = [re_path(r"^(?!api/)((?:[\w\-]+/)*)$", serve_page, name="wagtail_serve")]
