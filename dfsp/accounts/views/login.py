"""Login (password, then TOTP for privileged roles), logout, password change, my account."""

import base64
import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts import selectors, services
from dfsp.accounts.forms import LoginForm, OtpForm, PasswordChangeForm, ReenrolAuthenticatorForm
from dfsp.accounts.middleware import LAST_ACTIVITY, LOGIN_AT
from dfsp.audit.services import record_event
from dfsp.core.access import login_required_view, public_view
from dfsp.core.errors import ValidationFailed
from dfsp.core.net import client_ip

PREAUTH_USER = "dfsp_preauth_user"
PREAUTH_AT = "dfsp_preauth_at"
PREAUTH_BACKEND = "dfsp_preauth_backend"
NEXT_URL = "dfsp_next"
PREAUTH_SECONDS = 300


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _complete_login(request, user, backend: str):
    next_url = request.session.pop(NEXT_URL, None)
    for key in (PREAUTH_USER, PREAUTH_AT, PREAUTH_BACKEND):
        request.session.pop(key, None)
    login(request, user, backend=backend)  # rotates the session id
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[LAST_ACTIVITY] = now
    request.session.save()
    services.register_session(
        user=user,
        session_key=request.session.session_key,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    if selectors.password_expired(user):
        return redirect("accounts:password_change")
    return redirect(next_url if next_url else settings.LOGIN_REDIRECT_URL)


def lockout_response(request, original_response=None, credentials=None):
    record_event(
        event_type="auth.lockout", outcome="denied", object_type="login", details={"path": request.path}
    )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed attempts from this account or address. Try again in %(minutes)d minutes."
    ) % {"minutes": minutes}
    for key in (PREAUTH_USER, PREAUTH_AT, PREAUTH_BACKEND):
        request.session.pop(key, None)
    return render(request, "accounts/login.html", {"form": LoginForm(), "error_message": message}, status=429)


@public_view
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    error_message = ""
    if request.method == "GET":
        request.session[NEXT_URL] = _safe_next(request, request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["username"]
        user = authenticate(request, username=identifier, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is None:
            services.record_login_failure(identifier=identifier, reason="bad_credentials")
            error_message = _("The username/mobile number or the password is wrong.")
        elif selectors.requires_totp(user):
            request.session.cycle_key()
            request.session[PREAUTH_USER] = user.pk
            request.session[PREAUTH_AT] = int(time.time())
            request.session[PREAUTH_BACKEND] = user.backend
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            return redirect("accounts:otp_verify" if has_device else "accounts:otp_setup")
        else:
            return _complete_login(request, user, user.backend)
    return render(request, "accounts/login.html", {"form": form, "error_message": error_message})


def _preauth_user(request):
    user_id = request.session.get(PREAUTH_USER)
    started = request.session.get(PREAUTH_AT, 0)
    if not user_id or time.time() - started > PREAUTH_SECONDS:
        return None
    from dfsp.accounts.models import User

    return User.objects.filter(pk=user_id, is_active=True).first()


def _complete_otp_login(request, user, device):
    response = _complete_login(request, user, request.session.get(PREAUTH_BACKEND))
    otp_login(request, device)
    return response


def _otp_failed(request, user):
    credentials = {"username": user.username}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    services.record_login_failure(identifier=user.username, reason="bad_otp")
    return AxesProxyHandler.is_locked(request, credentials)


@public_view
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify_view(request):
    user = _preauth_user(request)
    if user is None:
        messages.info(request, _("Please enter your username and password first."))
        return redirect("accounts:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")
    if AxesProxyHandler.is_locked(request, {"username": user.username}):
        return lockout_response(request)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            return _complete_otp_login(request, user, device)
        if _otp_failed(request, user):
            return lockout_response(request)
        form.add_error("token", _("The code is wrong or has expired. Codes change every 30 seconds."))
    return render(request, "accounts/otp_verify.html", {"form": form, "preauth_user": user})


@public_view
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup_view(request):
    user = _preauth_user(request)
    if user is None:
        messages.info(request, _("Please enter your username and password first."))
        return redirect("accounts:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    if AxesProxyHandler.is_locked(request, {"username": user.username}):
        return lockout_response(request)
    device = services.start_totp_enrolment(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.confirm_totp_enrolment(user=user, device=device)
            return _complete_otp_login(request, user, device)
        if _otp_failed(request, user):
            return lockout_response(request)
        form.add_error("token", _("The code is wrong. Check the time on your phone and try again."))
    secret = base64.b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "secret": secret, "qr_svg": qr_svg, "preauth_user": user},
    )


@login_required_view
@require_POST
def logout_view(request):
    user = request.user
    services.record_logout(user)
    services.end_all_sessions(user)
    logout(request)
    messages.success(request, _("You have logged out. All your sessions have ended."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required_view
@sensitive_post_parameters()
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        try:
            services.change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                keep_session_key=old_key,
            )
        except ValidationFailed as exc:
            for field, message in exc.field_errors.items():
                form.add_error(field, message)
        else:
            update_session_auth_hash(request, request.user)
            services.move_session(user=request.user, old_key=old_key, new_key=request.session.session_key)
            messages.success(request, _("Your password has been changed. Your other sessions have ended."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": selectors.password_expired(request.user)},
    )


@login_required_view
@require_http_methods(["GET", "POST"])
def profile_view(request):
    user = request.user
    reenrol_form = ReenrolAuthenticatorForm(request.POST if request.POST.get("action") == "reenrol" else None)
    if request.method == "POST" and request.POST.get("action") == "end_other_sessions":
        ended = services.end_all_sessions(user, except_key=request.session.session_key)
        messages.success(request, _("%(count)d other session(s) ended.") % {"count": ended})
        return redirect("accounts:profile")
    if request.method == "POST" and request.POST.get("action") == "reenrol" and reenrol_form.is_valid():
        try:
            services.reenrol_own_authenticator(
                user=user,
                password=reenrol_form.cleaned_data["password"],
                token=reenrol_form.cleaned_data["token"],
            )
        except ValidationFailed as exc:
            for field, message in exc.field_errors.items():
                reenrol_form.add_error(field, message)
        else:
            logout(request)
            messages.success(request, _("Your authenticator was removed. Log in again to enrol the new one."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/profile.html",
        {
            "organisation": selectors.organisation_of(user),
            "memberships": user.memberships.select_related("organisation"),
            "password_days_left": selectors.password_days_left(user),
            "totp_required": selectors.requires_totp(user),
            "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "sessions": selectors.list_sessions_for(user),
            "current_session_key": request.session.session_key,
            "reenrol_form": reenrol_form,
        },
    )
