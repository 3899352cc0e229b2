from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from dfsp.accounts.models import mobile_validator
from dfsp.accounts.roles import ADMIN_ROLES, InstitutionSubtype, OrganisationKind, Role
from dfsp.core.forms import StyledForm
from dfsp.core.regions import region_choices


class LoginForm(StyledForm):
    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(StyledForm):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "form-control otp-input",
                "autofocus": True,
            }
        ),
    )


class ReenrolAuthenticatorForm(OtpForm):
    """Replace one's own authenticator (new phone): prove both factors, then enrol at next login."""

    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    new_password2 = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") and cleaned.get("new_password1") != cleaned.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords do not match."))
        return cleaned


class OrganisationForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    institution_subtype = forms.ChoiceField(
        label=_("Institution subtype"), choices=[("", "—"), *InstitutionSubtype.choices], required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    region_code = forms.ChoiceField(label=_("Region (GB/T 2260)"), choices=region_choices)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)


class UserCreateForm(StyledForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.-]{3,150}$",
        error_messages={"invalid": _("Use 3 or more letters, digits, dots, hyphens or underscores.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=11, required=False, validators=[mobile_validator]
    )


class RoleGrantForm(StyledForm):
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in Role if r not in ADMIN_ROLES]
    )
    organisation = forms.IntegerField(label=_("Organisation"), widget=forms.Select)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.choices = [
            (o.pk, f"{o.name}（{o.get_kind_display()}）") for o in organisations
        ]


class RoleRevokeForm(StyledForm):
    role = forms.ChoiceField(choices=[(r.value, r.label) for r in Role if r not in ADMIN_ROLES])


class DisableForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class UnlockForm(StyledForm):
    username = forms.CharField(label=_("Username"), max_length=150)
