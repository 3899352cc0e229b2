from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm


class UploadForm(StyledForm):
    file = forms.FileField(label=_("File (CSV, XLSX or JSON; UTF-8 or GBK)"))


class FeedbackForm(StyledForm):
    note = forms.CharField(
        label=_("Note to the source owner"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WaiveForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for waiving"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevealForm(StyledForm):
    category = forms.CharField(max_length=20)
    record_key = forms.CharField(max_length=120, required=False)
    element = forms.CharField(max_length=40)
