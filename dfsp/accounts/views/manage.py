"""Account administration under separation of duties (三权分立).

System admin: organisations and accounts (create, disable, enable, reset password).
Security admin: roles, second-factor resets, lockouts. Neither reads the audit trail.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts import selectors, services
from dfsp.accounts.forms import (
    DisableForm,
    OrganisationForm,
    RoleGrantForm,
    RoleRevokeForm,
    UnlockForm,
    UserCreateForm,
)
from dfsp.accounts.roles import Role
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError, ValidationFailed

ACCOUNT_ADMINS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


def _apply_errors(form, exc: DomainError) -> None:
    if exc.field_errors:
        for field, message in exc.field_errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


@role_required(*ACCOUNT_ADMINS)
def organisation_list(request):
    organisations = selectors.list_organisations_for(request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(uscc__icontains=query))
    kind = request.GET.get("kind", "")
    if kind:
        organisations = organisations.filter(kind=kind)
    page = Paginator(organisations, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisations.html",
        {"page": page, "query": query, "kind": kind, "kinds": OrganisationForm.base_fields["kind"].choices},
    )


@role_required(Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” created.") % {"name": organisation.name})
            return redirect("accounts:organisations")
    return render(request, "accounts/organisation_form.html", {"form": form})


@role_required(*ACCOUNT_ADMINS)
def user_list(request):
    users = selectors.list_users_for(request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    status = request.GET.get("status", "")
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "disabled":
        users = users.filter(is_active=False)
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "query": query, "status": status})


@role_required(Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.create_user(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            return render(
                request,
                "accounts/user_password.html",
                {"subject": user, "password": password, "created": True},
            )
    return render(request, "accounts/user_form.html", {"form": form})


@role_required(*ACCOUNT_ADMINS)
def user_detail(request, user_id: int):
    subject = selectors.get_user_for(request.user, user_id)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "memberships": subject.memberships.select_related("organisation"),
            "grant_form": RoleGrantForm(organisations=selectors.list_organisations_for(request.user)),
            "disable_form": DisableForm(),
            "has_totp": subject.totpdevice_set.filter(confirmed=True).exists(),
        },
    )


def _subject_action(request, user_id, action):
    subject = selectors.get_user_for(request.user, user_id)
    try:
        result = action(subject)
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for m in exc.field_errors.values()) or exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        return subject, result
    return subject, None


@role_required(Role.SECURITY_ADMIN)
@require_POST
def user_grant_role(request, user_id: int):
    form = RoleGrantForm(request.POST, organisations=selectors.list_organisations_for(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a role and an organisation."))
        return redirect("accounts:user_detail", user_id=user_id)

    def grant(subject):
        organisation = selectors.get_organisation_for(request.user, form.cleaned_data["organisation"])
        return services.grant_role(
            actor=request.user, user=subject, organisation=organisation, role=form.cleaned_data["role"]
        )

    _subject, membership = _subject_action(request, user_id, grant)
    if membership:
        messages.success(request, _("Role granted."))
    return redirect("accounts:user_detail", user_id=user_id)


@role_required(Role.SECURITY_ADMIN)
@require_POST
def user_revoke_role(request, user_id: int):
    form = RoleRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown role."))
        return redirect("accounts:user_detail", user_id=user_id)
    _subject, done = _subject_action(
        request,
        user_id,
        lambda subject: (
            services.revoke_role(actor=request.user, user=subject, role=form.cleaned_data["role"]) or True
        ),
    )
    if done:
        messages.success(request, _("Role revoked; the user's sessions have ended."))
    return redirect("accounts:user_detail", user_id=user_id)


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_disable(request, user_id: int):
    form = DisableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for disabling the account."))
        return redirect("accounts:user_detail", user_id=user_id)
    _subject, done = _subject_action(
        request,
        user_id,
        lambda subject: (
            services.disable_user(actor=request.user, user=subject, reason=form.cleaned_data["reason"])
            or True
        ),
    )
    if done:
        messages.success(request, _("Account disabled; all its sessions have ended."))
    return redirect("accounts:user_detail", user_id=user_id)


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_enable(request, user_id: int):
    _subject, done = _subject_action(
        request, user_id, lambda subject: services.enable_user(actor=request.user, user=subject) or True
    )
    if done:
        messages.success(request, _("Account enabled."))
    return redirect("accounts:user_detail", user_id=user_id)


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_reset_password(request, user_id: int):
    subject, password = _subject_action(
        request, user_id, lambda subject: services.reset_password(actor=request.user, user=subject)
    )
    if password:
        return render(
            request,
            "accounts/user_password.html",
            {"subject": subject, "password": password, "created": False},
        )
    return redirect("accounts:user_detail", user_id=user_id)


@role_required(Role.SECURITY_ADMIN)
@require_POST
def user_reset_totp(request, user_id: int):
    _subject, done = _subject_action(
        request,
        user_id,
        lambda subject: services.reset_second_factor(actor=request.user, user=subject) or True,
    )
    if done:
        messages.success(
            request, _("Second factor reset: the user will enrol a new authenticator at next login.")
        )
    return redirect("accounts:user_detail", user_id=user_id)


@role_required(Role.SECURITY_ADMIN)
@require_http_methods(["GET", "POST"])
def lockouts(request):
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unlock_account(actor=request.user, username=form.cleaned_data["username"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Failed-login records cleared for “%(name)s”.") % {"name": form.cleaned_data["username"]},
            )
        return redirect("accounts:lockouts")
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-failures_since_start")[:200]
    return render(
        request,
        "accounts/lockouts.html",
        {"attempts": attempts, "form": form, "limit": settings.AXES_FAILURE_LIMIT},
    )
