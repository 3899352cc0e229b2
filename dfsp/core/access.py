"""Access declarations for views.

Every URL pattern's view must carry a ``dfsp_access`` declaration (tests walk the URL conf and fail
on any view without one). Role codes are plain strings here; the accounts app owns their meaning.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def public_view(view: Callable) -> Callable:
    """Mark a view as deliberately open to anonymous visitors."""
    view.dfsp_access = PUBLIC
    return view


def _require(view: Callable, roles: frozenset[str] | None) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if roles is not None and not user.has_any_role(roles):
            raise PermissionDenied("role")
        return view(request, *args, **kwargs)

    wrapper.dfsp_access = AUTHENTICATED if roles is None else roles
    return wrapper


def login_required_view(view: Callable) -> Callable:
    """Any logged-in user (the session middleware has already enforced TOTP and password age)."""
    return _require(view, None)


def role_required(*roles: str | Iterable[str]) -> Callable[[Callable], Callable]:
    flat: set[str] = set()
    for role in roles:
        flat.update([role] if isinstance(role, str) else role)
    if not flat:
        raise ValueError("role_required needs at least one role")

    def decorator(view: Callable) -> Callable:
        return _require(view, frozenset(flat))

    return decorator
