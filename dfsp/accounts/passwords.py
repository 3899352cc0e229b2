"""Password rules beyond Django's: character classes and no reuse of recent passwords."""

import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case, upper-case, digits, other symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)d of: lower-case letters, upper-case letters, "
                    "digits and symbols."
                ),
                code="password_too_simple",
                params={"count": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("Use at least %(count)d of: lower-case letters, upper-case letters, digits and symbols.") % {
            "count": self.min_classes
        }


class PasswordHistoryValidator:
    """Refuse the current password and the previous ones (PASSWORD_HISTORY_COUNT, default 5)."""

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        count = settings.PASSWORD_HISTORY_COUNT
        previous = list(user.password_history.values_list("password", flat=True)[:count])
        if user.password:
            previous.append(user.password)
        if any(check_password(password, encoded) for encoded in previous):
            raise ValidationError(
                ngettext(
                    "The new password must differ from your last password.",
                    "The new password must differ from your last %(count)d passwords.",
                    count,
                )
                % {"count": count},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("You cannot reuse any of your last %(count)d passwords.") % {
            "count": settings.PASSWORD_HISTORY_COUNT
        }
