"""Session security for logged-in users (等保 level 3).

Runs after Django's and django-otp's middleware and, for every authenticated request:
ends idle (30 min) and over-age (8 h) sessions, ends sessions that were revoked elsewhere,
and confines users who still owe a second factor or a password change to those pages.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dfsp.accounts.models import UserSession
from dfsp.accounts.selectors import password_expired, requires_totp
from dfsp.core.request_context import current_request_id

LOGIN_AT = "dfsp_login_at"
LAST_ACTIVITY = "dfsp_last_activity"
# Paths a half-authenticated user may still reach.
_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/healthz", "/accounts/logout/")
_PASSWORD_CHANGE_PATHS = ("/accounts/password/",)
_ACTIVITY_WRITE_INTERVAL = 60


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _refuse(request, code: str, message: str, target: str):
    if _api(request):
        return JsonResponse(
            {"code": code, "message": message, "errors": [], "request_id": current_request_id()},
            status=401,
            json_dumps_params={"ensure_ascii": False},
        )
    messages.warning(request, message)
    return redirect(target)


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        login_at = session.get(LOGIN_AT)
        last_activity = session.get(LAST_ACTIVITY, login_at)
        expired = (
            login_at is None
            or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS
            or now - (last_activity or 0) > settings.SESSION_IDLE_TIMEOUT_SECONDS
            or not UserSession.objects.filter(session_key=session.session_key, user=user).exists()
        )
        if expired:
            UserSession.objects.filter(session_key=session.session_key).delete()
            logout(request)
            return _refuse(
                request,
                "session_expired",
                _("Your session has ended. Please log in again."),
                settings.LOGIN_URL,
            )
        if now - (last_activity or 0) >= _ACTIVITY_WRITE_INTERVAL:
            session[LAST_ACTIVITY] = now
        if request.path.startswith(_ALWAYS_ALLOWED):
            return self.get_response(request)
        if requires_totp(user) and not user.is_verified():
            logout(request)
            return _refuse(
                request,
                "otp_required",
                _("Your role requires a second factor. Please log in again."),
                settings.LOGIN_URL,
            )
        if password_expired(user) and not request.path.startswith(_PASSWORD_CHANGE_PATHS):
            return _refuse(
                request,
                "password_change_required",
                _("You must change your password before you continue."),
                "accounts:password_change",
            )
        return self.get_response(request)
