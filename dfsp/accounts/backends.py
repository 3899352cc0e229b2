"""Log in with a username or an 11-digit mobile number."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def find_user_by_identifier(identifier: str):
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    lookup = {"mobile": identifier} if _MOBILE.match(identifier) else {"username__iexact": identifier}
    return User._default_manager.filter(**lookup).first()


def canonical_login_identifier(request, credentials) -> str:
    """The key django-axes counts failures under: one per account, whichever identifier was typed.

    Unknown identifiers are counted under themselves, so the lockout behaves identically for
    existing and non-existing accounts and reveals nothing.
    """
    raw = ""
    if credentials:
        raw = credentials.get("username") or ""
    elif request is not None and request.method == "POST":
        raw = request.POST.get("username", "")
    user = find_user_by_identifier(raw)
    return user.username.lower() if user else raw.strip().lower()


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user_by_identifier(username)
        if user is None:
            # Run the hasher anyway so response time does not reveal whether the account exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
