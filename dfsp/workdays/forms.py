from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm
from dfsp.workdays.choices import MAX_LIMIT_DAYS, DayKind


class DayForm(StyledForm):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Holiday"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirmed = forms.BooleanField(label=_("Checked against the State Council notice"), required=False)


class TimeLimitForm(StyledForm):
    step = forms.CharField(max_length=20)
    institution_type = forms.CharField(max_length=20)
    working_days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=MAX_LIMIT_DAYS)
