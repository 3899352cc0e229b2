"""The Wagtail admin at /cms/: only content staff enter it, and only there is the CSP relaxed."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

CMS_PREFIX = "/cms/"

# Wagtail's admin uses inline styles and scripts of its own; public pages keep the strict policy.
CMS_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


class CmsAdminMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(CMS_PREFIX):
            return self.get_response(request)
        from dfsp.portal.services import CMS_ROLES, sync_cms_groups

        user = request.user
        if not user.is_authenticated:
            # Wagtail's own login page is never used: the platform's login enforces TOTP.
            return redirect_to_login(request.get_full_path())
        if not user.has_any_role(CMS_ROLES):
            raise PermissionDenied("cms")
        sync_cms_groups(user=user)
        response = self.get_response(request)
        response._csp_config = CMS_CSP
        # The admin's preview renders the page in a same-origin iframe.
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response
