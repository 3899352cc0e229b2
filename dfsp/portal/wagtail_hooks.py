"""Wagtail admin hooks: a withdrawal always goes through the portal's form that asks for a reason."""

from django.shortcuts import redirect
from wagtail import hooks


@hooks.register("before_unpublish_page")
def withdraw_with_reason(request, page):
    # Wagtail's own unpublish records no reason; the portal's withdrawal form does (and audits it).
    return redirect("portal:withdraw_page", page_id=page.pk)
