"""Documents attached to published content (policy files, videos) are public downloads; a
document that no live page uses answers 404, so drafts' and withdrawn pages' files stay hidden."""

from django.http import Http404
from django.urls import re_path
from wagtail.documents.views import serve as wagtail_documents

from dfsp.core.access import public_view
from dfsp.portal import selectors


@public_view
def serve_document(request, document_id, document_filename):
    if not selectors.document_is_public(int(document_id)):
        raise Http404
    return wagtail_documents.serve(request, document_id, document_filename)


urlpatterns = [re_path(r"^(\d+)/(.*)$", serve_document, name="wagtaildocs_serve")]
