"""Web pages for an institution's API keys: list, create (plaintext shown once), revoke.

Institution users see the list; institution administrators create and revoke. The services in
dfsp.accounts.api_keys check the same rules again, so the pages cannot drift from the API.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dfsp.accounts import api_keys
from dfsp.accounts.roles import Role
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.core.forms import StyledForm

LIST_PAGE_SIZE = 50


class ApiKeyForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=api_keys.NAME_MAX_LENGTH,
        help_text=gettext_lazy("What the key is for, for example “Loan system (production)”."),
    )


def _render_list(request, form: ApiKeyForm, status: int = 200):
    keys = api_keys.list_api_keys_for(request.user)[:LIST_PAGE_SIZE]
    context = {
        "keys": keys,
        "form": form,
        "can_manage": request.user.has_any_role(api_keys.KEY_MANAGER_ROLES),
    }
    return render(request, "accounts/api_keys.html", context, status=status)


@role_required(api_keys.KEY_VIEWER_ROLES)
@require_GET
def api_key_list(request):
    return _render_list(request, ApiKeyForm())


@role_required(Role.INSTITUTION_ADMIN)
@require_POST
@never_cache
def api_key_create(request):
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    try:
        key, plaintext = api_keys.create_api_key(actor=request.user, name=form.cleaned_data["name"])
    except DomainError as exc:
        for field, message in exc.field_errors.items():
            form.add_error(field if field in form.fields else None, message)
        if not exc.field_errors:
            form.add_error(None, exc.message)
        return _render_list(request, form, status=exc.status)
    # Rendered, not redirected: the plaintext exists only in this response (never_cache).
    return render(request, "accounts/api_keys_created.html", {"key": key, "plaintext": plaintext})


@role_required(Role.INSTITUTION_ADMIN)
@require_POST
def api_key_revoke(request, key_id: int):
    try:
        key = api_keys.revoke_api_key(actor=request.user, key_id=key_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("API key “%(name)s” (%(prefix)s) was revoked; calls using it are refused from now on.")
            % {"name": key.name, "prefix": key.prefix},
        )
    return redirect("accounts:api_keys:list")
