from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm


class UrgeForm(StyledForm):
    note = forms.CharField(
        label=_("Note to the institution"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReplyForm(StyledForm):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CloseForm(StyledForm):
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
