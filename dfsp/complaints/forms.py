from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from dfsp.complaints.states import ComplaintKind, SubjectKind
from dfsp.core.forms import StyledForm

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mobile number."))
PLATFORM_SERVICES = [
    ("financing", _("Financing applications")),
    ("credit", _("Credit information")),
    ("account", _("Accounts and login")),
    ("other", _("Other")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(StyledForm):
    kind = forms.ChoiceField(label=_("Type"), choices=ComplaintKind.choices)
    subject_kind = forms.ChoiceField(label=_("About"), choices=SubjectKind.choices)
    institution = forms.TypedChoiceField(label=_("Institution"), required=False, coerce=int, empty_value=None)
    service = forms.ChoiceField(
        label=_("Platform service"), required=False, choices=[("", "—"), *PLATFORM_SERVICES]
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    content = forms.CharField(label=_("Content"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    contact_name = forms.CharField(label=_("Your name"), max_length=40)
    contact_mobile = forms.CharField(label=_("Mobile number"), max_length=11, validators=[mobile_validator])
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("Up to 3 files: PDF, JPEG or PNG, 5 MB each.")
    )

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "—")] + [(o.pk, o.name) for o in institutions]


class LookupForm(StyledForm):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=24)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, validators=[mobile_validator])


class CodeForm(StyledForm):
    tracking_number = forms.CharField(widget=forms.HiddenInput, max_length=24)
    code = forms.CharField(label=_("Code from the SMS"), max_length=6, min_length=6)


class RatingForm(StyledForm):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Neutral")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandleForm(StyledForm):
    action = forms.ChoiceField(
        choices=[("accept", "accept"), ("assign", "assign"), ("reply", "reply"), ("close", "close")]
    )
    assignee = forms.TypedChoiceField(label=_("Handler"), required=False, coerce=int, empty_value=None)
    reply = forms.CharField(
        label=_("Reply"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—")] + [(u.pk, u.full_name or u.username) for u in staff]
