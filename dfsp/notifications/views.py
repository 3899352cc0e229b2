from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dfsp.core.access import login_required_view
from dfsp.core.errors import NotFound
from dfsp.notifications import selectors, services


@login_required_view
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.list_messages_for(request.user, unread_only=unread_only), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


def _selected_ids(request) -> list[int]:
    ids = []
    for raw in request.POST.getlist("message"):
        if raw.isdigit():
            ids.append(int(raw))
    return ids


@login_required_view
@require_POST
def mark(request):
    action = request.POST.get("action")
    if action == "read_all":
        count = services.mark_read(user=request.user)
    elif action == "read":
        count = services.mark_read(user=request.user, message_ids=_selected_ids(request))
    elif action == "unread":
        count = services.mark_unread(user=request.user, message_ids=_selected_ids(request))
    else:
        flash.error(request, _("Choose what to do with the selected messages."))
        return redirect("notifications:inbox")
    flash.success(request, _("%(count)d message(s) updated.") % {"count": count})
    return redirect("notifications:inbox")


@login_required_view
def open_message(request, message_id: int):
    message = selectors.list_messages_for(request.user).filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    services.mark_read(user=request.user, message_ids=[message.pk])
    if message.link and url_has_allowed_host_and_scheme(
        message.link, {request.get_host()}, request.is_secure()
    ):
        return redirect(message.link)
    return render(request, "notifications/message.html", {"message": message})
